// keel_state_crash_writer <state-dir> <keys-per-transaction>
// Takes the state directory's lock, then commits the transactions described
// in crash_writer.h forever, continuing after the last one stored, and writes
// "<seq>\n" to stdout after each commit returns. Exits 0 when stdout closes;
// 2 on bad arguments, 3 when the lock is held, 4 on a state error.
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "keel/state/sqlite_persister.h"
#include "keel/state/state_dir_lock.h"
#include "state/crash_writer.h"

namespace keel::state {
namespace {

int fail(int code, const Status& status) {
  std::fprintf(stderr, "crash writer: %s\n", status.toString().c_str());
  return code;
}

std::vector<Op> transaction(int64_t seq, int keys) {
  std::vector<Op> ops;
  for (int k = 0; k < keys; ++k) ops.push_back(Op::set(crashKeyPath(k), crashValue(seq, k)));
  ops.push_back(Op::set(crashLogPath(seq), std::to_string(seq), Expect::absent()));
  if (seq > kCrashLogKeep) ops.push_back(Op::erase(crashLogPath(seq - kCrashLogKeep)));
  return ops;
}

int run(const std::string& dir, int keys) {
  auto lock = StateDirLock::acquire(dir);
  if (!lock.has_value()) return fail(3, lock.status());
  auto persister = SqlitePersister::open(dir + "/" + kStateDbFileName);
  if (!persister.has_value()) return fail(4, persister.status());
  Result<Node> last = (*persister)->get(crashKeyPath(0));
  int64_t seq = last.has_value() ? crashSeq(last->value) : 0;
  if (seq < 0) return fail(4, Status::corruption("bad value in " + crashKeyPath(0)));
  while (true) {
    ++seq;
    Status committed = (*persister)->commit(transaction(seq, keys)).status();
    if (!committed.isOk()) return fail(4, committed);
    std::string ack = std::to_string(seq) + "\n";
    if (::write(STDOUT_FILENO, ack.data(), ack.size()) != static_cast<ssize_t>(ack.size())) {
      return 0;
    }
  }
}

}  // namespace
}  // namespace keel::state

int main(int argc, char** argv) {
  if (argc != 3 || std::atoi(argv[2]) <= 0) {
    std::fprintf(stderr, "usage: %s <state-dir> <keys-per-transaction>\n", argv[0]);
    return 2;
  }
  return keel::state::run(argv[1], std::atoi(argv[2]));
}
