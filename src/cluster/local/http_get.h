// httpGet: a small blocking HTTP/1.1 GET client over plain TCP, for what
// keel-executor fetches over HTTP (http:// URIs of a task, HTTP health and
// readiness checks). keel-executor starts once per pod; with cpp-httplib
// (and the OpenSSL, zlib and brotli it brings) linked in, the dynamic
// linker's work at each start was about half of its CPU time when 1,000
// pods start at once (bench_cluster_launch, docs/benchmarks.md).
//
// Supported: http:// URLs (host name, IPv4 or [IPv6] literal, optional
// port), answers with Content-Length, chunked or closing the connection,
// redirects (Location, absolute or origin-relative) when allowed. No TLS,
// no compression (none is asked for), one connection per request.
//
// Thread-compatible; blocking, bounded by the options' timeouts.
#pragma once

#include <functional>
#include <string>
#include <string_view>

#include "keel/clock.h"
#include "keel/result.h"

namespace keel::local {

struct HttpGetOptions {
  Duration connectTimeout = std::chrono::seconds(10);
  Duration readTimeout = std::chrono::seconds(60);  // for each read
  int maxRedirects = 0;
};

// Called with the body of a 2xx answer, piece by piece; false aborts.
using BodySink = std::function<bool(std::string_view)>;

// GETs `url` and returns the status of the final answer (after redirects).
// The body of a 2xx answer goes to `body` (null: not read). Unavailable
// when the server cannot be reached, times out or answers malformed or cut
// short; InvalidArgument for a URL that is not http://; IoError when
// `body` refused a piece.
Result<int> httpGet(const std::string& url, const HttpGetOptions& options,
                    const BodySink& body = nullptr);

}  // namespace keel::local
