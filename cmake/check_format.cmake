# cmake -DCLANG_FORMAT=<clang-format> -DSOURCE_DIR=<repo> -P check_format.cmake
#
# The `format` CTest test (label lint): every .h/.cc under include/ src/
# bench/ examples/ tests/ must be as clang-format (the repo's .clang-format)
# writes it. Fails listing the files that differ and the command that fixes
# them; changes nothing.
if(NOT CLANG_FORMAT OR NOT SOURCE_DIR)
  message(FATAL_ERROR "check_format.cmake needs -DCLANG_FORMAT=... and -DSOURCE_DIR=...")
endif()

set(files)
foreach(dir include src bench examples tests)
  file(GLOB_RECURSE found LIST_DIRECTORIES false
       "${SOURCE_DIR}/${dir}/*.h" "${SOURCE_DIR}/${dir}/*.cc")
  list(APPEND files ${found})
endforeach()
list(SORT files)
list(LENGTH files count)

execute_process(
  COMMAND "${CLANG_FORMAT}" --dry-run -Werror --style=file ${files}
  WORKING_DIRECTORY "${SOURCE_DIR}"
  RESULT_VARIABLE result
  OUTPUT_QUIET
  ERROR_VARIABLE diagnostics)

if(result EQUAL 0)
  message(STATUS "format: ${count} files as clang-format writes them")
  return()
endif()

# "<file>:<line>:<col>: error: code should be clang-formatted [...]"
string(REGEX MATCHALL "[^\n]+:[0-9]+:[0-9]+: error: code should be clang-formatted"
       violations "${diagnostics}")
set(differing)
foreach(v ${violations})
  string(REGEX REPLACE ":[0-9]+:[0-9]+: error: code should be clang-formatted$" "" path "${v}")
  file(RELATIVE_PATH relative "${SOURCE_DIR}" "${path}")
  list(APPEND differing "${relative}")
endforeach()
list(REMOVE_DUPLICATES differing)
if(NOT differing)
  message(FATAL_ERROR "clang-format failed (exit ${result}):\n${diagnostics}")
endif()
list(LENGTH differing bad)
list(JOIN differing "\n  " listing)
message(FATAL_ERROR
  "${bad} of ${count} files differ from clang-format's layout:\n  ${listing}\n"
  "Fix with: clang-format -i <file>... (from ${SOURCE_DIR})")
