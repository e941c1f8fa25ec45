// CheckpointWriter: changes submitted while a write runs are written
// together in the next one; a failed write holds durable() back and is
// retried with what came after it.
#include "cluster/local/checkpoint_writer.h"

#include <gtest/gtest.h>

#include <condition_variable>
#include <mutex>

#include "keel/state/memory_persister.h"
#include "testing/poll.h"

namespace keel::local {
namespace {

namespace st = keel::state;
using namespace std::chrono_literals;

// Forwards to a MemoryPersister; commits can be held at a gate or failed,
// and are counted.
class GatedPersister final : public st::Persister {
 public:
  Result<st::Node> get(const std::string& path) override { return inner_.get(path); }
  Result<std::vector<std::string>> children(const std::string& path) override {
    return inner_.children(path);
  }
  Result<std::vector<st::Version>> commit(const std::vector<st::Op>& ops) override {
    std::unique_lock lock(mu_);
    ++entered_;
    cv_.notify_all();
    cv_.wait(lock, [&] { return open_; });
    if (failing_) return Status::unavailable("disk on fire");
    ++commits_;
    return inner_.commit(ops);
  }
  void setOpen(bool open) {
    std::lock_guard lock(mu_);
    open_ = open;
    cv_.notify_all();
  }
  void setFailing(bool failing) {
    std::lock_guard lock(mu_);
    failing_ = failing;
  }
  int entered() {
    std::lock_guard lock(mu_);
    return entered_;
  }
  int commits() {
    std::lock_guard lock(mu_);
    return commits_;
  }
  st::MemoryPersister& inner() { return inner_; }

 private:
  st::MemoryPersister inner_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool open_ = true, failing_ = false;
  int entered_ = 0, commits_ = 0;
};

CheckpointDelta withAgent(const std::string& id) {
  CheckpointDelta d;
  d.masterId = "m";
  AgentRecord a;
  a.config.id = id;
  a.config.hostname = "127.0.0.1";
  a.config.workDir = "/tmp/keel-checkpoint-writer-test/" + id;
  d.agents.emplace(id, a);
  return d;
}

struct Fixture {
  Fixture() {
    auto gated = std::make_unique<GatedPersister>();
    persister = gated.get();
    checkpoint = std::make_shared<MasterCheckpoint>(std::move(gated));
  }
  GatedPersister* persister;
  std::shared_ptr<MasterCheckpoint> checkpoint;
};

TEST(CheckpointWriterTest, ChangesSubmittedDuringAWriteAreWrittenTogether) {
  Fixture f;
  std::atomic<int> woken{0};
  CheckpointWriter writer(f.checkpoint, [&] { ++woken; });
  f.persister->setOpen(false);
  EXPECT_EQ(writer.submit(withAgent("a1")), 1u);
  ASSERT_TRUE(testing::pollUntil([&] { return f.persister->entered() == 1; }, 5s));
  EXPECT_EQ(writer.submit(withAgent("a2")), 2u);
  EXPECT_EQ(writer.submit(withAgent("a3")), 3u);
  EXPECT_EQ(writer.durable(), 0u) << "nothing is durable while the first write is held";
  f.persister->setOpen(true);
  ASSERT_TRUE(writer.flush());
  EXPECT_EQ(writer.durable(), 3u);
  EXPECT_EQ(f.persister->commits(), 2) << "a2 and a3 in one transaction";
  EXPECT_EQ(woken.load(), 2);
  EXPECT_TRUE(f.persister->inner().get("/agents/a2"));
  EXPECT_TRUE(f.persister->inner().get("/agents/a3"));
}

TEST(CheckpointWriterTest, AFailedWriteIsRetriedWithWhatCameAfterIt) {
  Fixture f;
  CheckpointWriter writer(f.checkpoint, nullptr, 5ms);
  f.persister->setFailing(true);
  writer.submit(withAgent("a1"));
  ASSERT_TRUE(testing::pollUntil([&] { return f.persister->entered() >= 2; }, 5s))
      << "retried after the delay";
  EXPECT_EQ(writer.durable(), 0u);
  writer.submit(withAgent("a2"));
  f.persister->setFailing(false);
  ASSERT_TRUE(testing::pollUntil([&] { return writer.durable() == 2u; }, 5s));
  EXPECT_TRUE(f.persister->inner().get("/agents/a1"));
  EXPECT_TRUE(f.persister->inner().get("/agents/a2"));
}

TEST(CheckpointWriterTest, FlushReportsAWriteThatKeepsFailing) {
  Fixture f;
  CheckpointWriter writer(f.checkpoint, nullptr, 1h);
  f.persister->setFailing(true);
  writer.submit(withAgent("a1"));
  Status flushed = writer.flush();
  EXPECT_EQ(flushed.code(), StatusCode::kUnavailable) << flushed;
  EXPECT_EQ(writer.durable(), 0u);
  writer.stop();  // one last attempt, which fails too: returns all the same
  EXPECT_FALSE(f.persister->inner().get("/agents/a1"));
}

}  // namespace
}  // namespace keel::local
