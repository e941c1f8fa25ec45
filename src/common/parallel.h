// parallelFor: run fn(i) for every i in [0, n) on up to `maxThreads` threads
// (the calling thread is one of them), each thread taking a contiguous slice.
// Returns when every call has returned.
//
// For CPU-bound, independent work on disjoint data (decoding stored records
// at startup): fn must be safe to call concurrently for distinct i and must
// not throw (an escaping exception terminates, as from any std::thread).
// With n below `minPerThread` * 2, or one thread available, everything runs
// on the calling thread.
#pragma once

#include <cstddef>
#include <functional>

namespace keel {

void parallelFor(size_t n, const std::function<void(size_t)>& fn, size_t minPerThread = 256,
                 size_t maxThreads = 8);

}  // namespace keel
