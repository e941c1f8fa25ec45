// The fetcher: brings a task's URIs into its sandbox before the task starts,
// as the Mesos fetcher does. file:// URIs and absolute paths are copied,
// http:// URIs downloaded; .tar, .tar.gz, .tgz, .tar.bz2, .tar.xz and .zip
// are extracted into the sandbox when `extract` is set (the archive stays);
// `executable` makes the fetched file executable.
//
// Blocking; meant to run in the task's child process before exec. Runs `tar`
// and `unzip` as child processes. Thread-compatible.
#pragma once

#include <string>
#include <vector>

#include "cluster/local/agent_runtime.h"
#include "keel/status.h"

namespace keel::local {

// The file name a URI lands in (outputFile, else the last path segment).
std::string fetchedFileName(const UriSpec& uri);

Status fetchUri(const UriSpec& uri, const std::string& sandbox);

// Fetches all in order; stops at the first failure.
Status fetchUris(const std::vector<UriSpec>& uris, const std::string& sandbox);

}  // namespace keel::local
