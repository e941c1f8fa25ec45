# keel_library(<name> SOURCES ... DEPS ...): one CMake library per module.
function(keel_library name)
  cmake_parse_arguments(ARG "" "" "SOURCES;DEPS" ${ARGN})
  add_library(${name} STATIC ${ARG_SOURCES})
  target_include_directories(${name} PUBLIC ${PROJECT_SOURCE_DIR}/include ${PROJECT_SOURCE_DIR}/src)
  target_link_libraries(${name} PUBLIC ${ARG_DEPS})
endfunction()

# keel_test(<name> SOURCES ... DEPS ...): a GoogleTest binary whose cases are
# registered one by one with CTest (listed when ctest runs, not at build time).
function(keel_test name)
  cmake_parse_arguments(ARG "" "" "SOURCES;DEPS;LABELS" ${ARGN})
  add_executable(${name} ${ARG_SOURCES})
  # Paths are found at run time (testing/paths.h): no checkout-specific
  # define, so a compiler cache serves every worktree.
  target_link_libraries(${name} PRIVATE ${ARG_DEPS} keel_testing_paths GTest::gmock
    GTest::gtest_main)
  gtest_discover_tests(${name} DISCOVERY_MODE PRE_TEST DISCOVERY_TIMEOUT 60
    PROPERTIES LABELS "${ARG_LABELS}")
endfunction()
