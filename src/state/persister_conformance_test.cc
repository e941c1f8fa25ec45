// One suite, every backend: a Persister passes these or it is not one.
// A future ZooKeeper backend joins by adding a Backend to kBackends (see the
// readiness notes in persister.h).
#include <gtest/gtest.h>

#include <atomic>
#include <memory>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "keel/state/memory_persister.h"
#include "keel/state/persister.h"
#include "keel/state/sqlite_persister.h"
#include "testing/temp_dir.h"

namespace keel::state {
namespace {

struct MemoryBackend {
  std::unique_ptr<Persister> make() { return std::make_unique<MemoryPersister>(); }
};

struct SqliteBackend {
  testing::TempDir dir;
  std::unique_ptr<Persister> make() {
    auto opened = SqlitePersister::open(dir.file(kStateDbFileName));
    EXPECT_TRUE(opened.has_value()) << opened.status();
    return std::move(opened).value();
  }
};

struct BackendNames {
  template <typename T>
  static std::string GetName(int) {
    if constexpr (std::is_same_v<T, MemoryBackend>) return "Memory";
    if constexpr (std::is_same_v<T, SqliteBackend>) return "Sqlite";
    return "Unknown";
  }
};

template <typename B>
class PersisterConformance : public ::testing::Test {
 protected:
  Persister& p() { return *persister_; }

  std::string value(const std::string& path) {
    Result<Node> node = p().get(path);
    return node.has_value() ? node->value : "<" + node.error().toString() + ">";
  }
  Version version(const std::string& path) {
    Result<Node> node = p().get(path);
    return node.has_value() ? node->version : -1;
  }
  std::vector<std::string> children(const std::string& path) {
    Result<std::vector<std::string>> names = p().children(path);
    EXPECT_TRUE(names.has_value()) << names.status();
    return names.value_or(std::vector<std::string>{});
  }

  B backend_;
  std::unique_ptr<Persister> persister_ = backend_.make();
};

using Backends = ::testing::Types<MemoryBackend, SqliteBackend>;
TYPED_TEST_SUITE(PersisterConformance, Backends, BackendNames);

TYPED_TEST(PersisterConformance, GetOfAMissingNodeIsNotFound) {
  EXPECT_EQ(this->p().get("/Tasks/none").status().code(), StatusCode::kNotFound);
}

TYPED_TEST(PersisterConformance, StoresArbitraryBytesIncludingNulAndEmptyValues) {
  const std::string bytes("a\0b\xff\x80\n", 6);
  ASSERT_TRUE(this->p().set("/bin", bytes).has_value());
  ASSERT_TRUE(this->p().set("/empty", "").has_value());
  EXPECT_EQ(this->value("/bin"), bytes);
  EXPECT_EQ(this->value("/empty"), "");
}

TYPED_TEST(PersisterConformance, VersionStartsAtOneAndGrowsByOneOnEveryWrite) {
  EXPECT_EQ(*this->p().set("/a", "1"), 1);
  EXPECT_EQ(*this->p().set("/a", "2"), 2);
  EXPECT_EQ(*this->p().set("/a", "2"), 3);
  EXPECT_EQ(this->version("/a"), 3);
  EXPECT_EQ(this->value("/a"), "2");
}

TYPED_TEST(PersisterConformance, SetCreatesMissingAncestorsAndLeavesExistingOnesAlone) {
  ASSERT_TRUE(this->p().set("/Tasks", "mine").has_value());
  ASSERT_TRUE(this->p().set("/Tasks/data-0-node/TaskInfo", "info").has_value());
  EXPECT_EQ(this->value("/Tasks"), "mine");
  EXPECT_EQ(this->version("/Tasks"), 1);
  EXPECT_EQ(this->value("/Tasks/data-0-node"), "");
  EXPECT_EQ(this->version("/Tasks/data-0-node"), 1);
  EXPECT_EQ(this->children("/Tasks/data-0-node"), std::vector<std::string>{"TaskInfo"});
}

TYPED_TEST(PersisterConformance, ChildrenListsOnlyDirectChildrenSortedBytewise) {
  for (const char* path : {"/p/b", "/p/a/x", "/p/a-b", "/p/a", "/p/B", "/p/a/y/z", "/q"}) {
    ASSERT_TRUE(this->p().set(path, "v").has_value()) << path;
  }
  EXPECT_EQ(this->children("/p"), (std::vector<std::string>{"B", "a", "a-b", "b"}));
  EXPECT_EQ(this->children("/p/a"), (std::vector<std::string>{"x", "y"}));
  EXPECT_EQ(this->children("/p/b"), std::vector<std::string>{});
  EXPECT_EQ(this->children("/"), (std::vector<std::string>{"p", "q"}));
}

TYPED_TEST(PersisterConformance, ChildrenOfAMissingNodeIsNotFoundButTheRootAlwaysExists) {
  EXPECT_EQ(this->p().children("/nothing").status().code(), StatusCode::kNotFound);
  EXPECT_EQ(this->children("/"), std::vector<std::string>{});
}

TYPED_TEST(PersisterConformance, EraseRemovesALeafButKeepsItsAncestors) {
  ASSERT_TRUE(this->p().set("/a/b/c", "v").has_value());
  ASSERT_TRUE(this->p().erase("/a/b/c").isOk());
  EXPECT_EQ(this->p().get("/a/b/c").status().code(), StatusCode::kNotFound);
  EXPECT_EQ(this->children("/a"), std::vector<std::string>{"b"});
  EXPECT_EQ(this->children("/a/b"), std::vector<std::string>{});
}

TYPED_TEST(PersisterConformance, EraseOfANodeWithChildrenFailsUnlessRecursive) {
  ASSERT_TRUE(this->p().set("/a/b", "v").has_value());
  EXPECT_EQ(this->p().erase("/a").code(), StatusCode::kFailedPrecondition);
  EXPECT_EQ(this->value("/a/b"), "v");
  ASSERT_TRUE(this->p().eraseTree("/a").isOk());
  EXPECT_EQ(this->children("/"), std::vector<std::string>{});
}

TYPED_TEST(PersisterConformance, EraseTreeSparesSiblingsThatShareANamePrefix) {
  for (const char* path : {"/t/b/x/y", "/t/b/z", "/t/bc", "/t/b-c/q", "/t/b.c", "/t/a"}) {
    ASSERT_TRUE(this->p().set(path, "v").has_value()) << path;
  }
  ASSERT_TRUE(this->p().eraseTree("/t/b").isOk());
  EXPECT_EQ(this->children("/t"), (std::vector<std::string>{"a", "b-c", "b.c", "bc"}));
  EXPECT_EQ(this->value("/t/b-c/q"), "v");
  EXPECT_EQ(this->p().get("/t/b/x/y").status().code(), StatusCode::kNotFound);
}

TYPED_TEST(PersisterConformance, EraseAndCheckOfAMissingNodeAreNotFound) {
  EXPECT_EQ(this->p().erase("/missing").code(), StatusCode::kNotFound);
  EXPECT_EQ(this->p().eraseTree("/missing").code(), StatusCode::kNotFound);
  EXPECT_EQ(this->p().commit({Op::check("/missing")}).status().code(), StatusCode::kNotFound);
}

TYPED_TEST(PersisterConformance, ARecreatedNodeStartsAgainAtVersionOne) {
  ASSERT_TRUE(this->p().set("/a", "1").has_value());
  ASSERT_TRUE(this->p().set("/a", "2").has_value());
  ASSERT_TRUE(this->p().erase("/a").isOk());
  EXPECT_EQ(*this->p().set("/a", "3"), 1);
}

TYPED_TEST(PersisterConformance, CompareAndSetSucceedsOnlyAtTheExpectedVersion) {
  ASSERT_TRUE(this->p().set("/a", "one").has_value());
  ASSERT_TRUE(this->p().set("/a", "two").has_value());
  Result<Version> stale = this->p().set("/a", "lost", Expect::atVersion(1));
  EXPECT_EQ(stale.status().code(), StatusCode::kConflict);
  EXPECT_EQ(this->value("/a"), "two");
  EXPECT_EQ(this->version("/a"), 2);
  Result<Version> fresh = this->p().set("/a", "won", Expect::atVersion(2));
  ASSERT_TRUE(fresh.has_value()) << fresh.status();
  EXPECT_EQ(*fresh, 3);
  EXPECT_EQ(this->value("/a"), "won");
}

TYPED_TEST(PersisterConformance, ExpectAbsentCreatesOnlyWhenTheNodeIsMissing) {
  EXPECT_EQ(*this->p().set("/a", "first", Expect::absent()), 1);
  EXPECT_EQ(this->p().set("/a", "second", Expect::absent()).status().code(), StatusCode::kConflict);
  EXPECT_EQ(this->value("/a"), "first");
}

TYPED_TEST(PersisterConformance, AnExpectedVersionOfAMissingNodeIsAConflict) {
  EXPECT_EQ(this->p().set("/a", "v", Expect::atVersion(1)).status().code(), StatusCode::kConflict);
  EXPECT_EQ(this->p().erase("/a", Expect::atVersion(1)).code(), StatusCode::kConflict);
  EXPECT_EQ(this->p().get("/a").status().code(), StatusCode::kNotFound);
}

TYPED_TEST(PersisterConformance, EraseWithAnExpectedVersionIsACompareAndDelete) {
  ASSERT_TRUE(this->p().set("/a", "1").has_value());
  ASSERT_TRUE(this->p().set("/a", "2").has_value());
  EXPECT_EQ(this->p().erase("/a", Expect::atVersion(1)).code(), StatusCode::kConflict);
  EXPECT_TRUE(this->p().erase("/a", Expect::atVersion(2)).isOk());
  EXPECT_EQ(this->p().get("/a").status().code(), StatusCode::kNotFound);
}

TYPED_TEST(PersisterConformance, CommitReturnsOneVersionPerOp) {
  ASSERT_TRUE(this->p().set("/c", "x").has_value());
  ASSERT_TRUE(this->p().set("/d", "x").has_value());
  auto versions =
      this->p().commit({Op::set("/a", "1"), Op::set("/a", "2"), Op::check("/c"), Op::erase("/d")});
  ASSERT_TRUE(versions.has_value()) << versions.status();
  EXPECT_EQ(*versions, (std::vector<Version>{1, 2, 1, 0}));
}

TYPED_TEST(PersisterConformance, AnEmptyCommitSucceedsAndChangesNothing) {
  auto versions = this->p().commit({});
  ASSERT_TRUE(versions.has_value());
  EXPECT_TRUE(versions->empty());
  EXPECT_EQ(this->children("/"), std::vector<std::string>{});
}

TYPED_TEST(PersisterConformance, ACommitIsAllOrNothingIncludingCreatedAncestors) {
  ASSERT_TRUE(this->p().set("/keep", "old").has_value());
  ASSERT_TRUE(this->p().set("/gone/child", "old").has_value());
  auto failed = this->p().commit({Op::set("/keep", "new"), Op::set("/new/deep/node", "v"),
                                  Op::eraseTree("/gone"), Op::set("/keep", "x", Expect::absent())});
  EXPECT_EQ(failed.status().code(), StatusCode::kConflict);
  EXPECT_NE(failed.status().message().find("op 3"), std::string::npos) << failed.status();
  EXPECT_EQ(this->value("/keep"), "old");
  EXPECT_EQ(this->version("/keep"), 1);
  EXPECT_EQ(this->value("/gone/child"), "old");
  EXPECT_EQ(this->children("/"), (std::vector<std::string>{"gone", "keep"}));
}

TYPED_TEST(PersisterConformance, LaterOpsSeeTheEffectsOfEarlierOnes) {
  auto versions =
      this->p().commit({Op::set("/a/b", "1"), Op::set("/a/b", "2", Expect::atVersion(1)),
                        Op::check("/a", Expect::atVersion(1)), Op::eraseTree("/a"),
                        Op::check("/a", Expect::absent())});
  ASSERT_TRUE(versions.has_value()) << versions.status();
  EXPECT_EQ(this->p().get("/a").status().code(), StatusCode::kNotFound);
}

TYPED_TEST(PersisterConformance, ACheckThatFailsAbortsTheCommit) {
  ASSERT_TRUE(this->p().set("/guard", "g").has_value());
  auto failed = this->p().commit({Op::set("/a", "v"), Op::check("/guard", Expect::atVersion(7))});
  EXPECT_EQ(failed.status().code(), StatusCode::kConflict);
  EXPECT_EQ(this->p().get("/a").status().code(), StatusCode::kNotFound);
  auto passed = this->p().commit({Op::set("/a", "v"), Op::check("/guard", Expect::atVersion(1))});
  ASSERT_TRUE(passed.has_value()) << passed.status();
  EXPECT_EQ((*passed)[1], 1);
}

TYPED_TEST(PersisterConformance, InvalidPathsAreRejectedBeforeAnythingRuns) {
  const std::vector<std::string> bad = {"",
                                        "a",
                                        "/a/",
                                        "//a",
                                        "/a//b",
                                        "/a/../b",
                                        "/./a",
                                        "/a b",
                                        std::string("/a\0b", 4),
                                        "/a\x01",
                                        "/\xc3\xa9",
                                        "/",
                                        "/" + std::string(kMaxPathBytes, 'x')};
  for (const std::string& path : bad) {
    auto result = this->p().commit({Op::set("/ok", "v"), Op::set(path, "v")});
    EXPECT_EQ(result.status().code(), StatusCode::kInvalidArgument) << "path: " << path;
    EXPECT_EQ(this->p().get(path).status().code(), StatusCode::kInvalidArgument) << path;
  }
  EXPECT_EQ(this->p().get("/ok").status().code(), StatusCode::kNotFound);
  EXPECT_EQ(this->p().children("a").status().code(), StatusCode::kInvalidArgument);
}

TYPED_TEST(PersisterConformance, ValuesUpToTheLimitAreStoredAndLargerOnesRejected) {
  std::string largest(kMaxValueBytes - 16, 'v');
  ASSERT_TRUE(this->p().set("/big", largest).has_value());
  EXPECT_EQ(this->value("/big"), largest);
  EXPECT_EQ(this->p().set("/big", std::string(kMaxValueBytes + 1, 'v')).status().code(),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(this->version("/big"), 1);
}

TYPED_TEST(PersisterConformance, TransactionsOverTheSizeLimitAreRejected) {
  std::string half(kMaxTransactionBytes / 2, 'v');
  auto result = this->p().commit({Op::set("/a", half), Op::set("/b", half)});
  EXPECT_EQ(result.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(this->children("/"), std::vector<std::string>{});
}

// Retries a read-modify-write until its compare-and-set wins.
template <typename Fn>
void casLoop(Persister& p, Fn attempt) {
  while (true) {
    Status s = attempt(p);
    if (s.isOk()) return;
    ASSERT_EQ(s.code(), StatusCode::kConflict) << s;
  }
}

TYPED_TEST(PersisterConformance, ConcurrentCompareAndSetIncrementsLoseNoUpdate) {
  constexpr int kThreads = 4, kIncrements = 50;
  ASSERT_TRUE(this->p().set("/counter", "0").has_value());
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < kIncrements; ++i) {
        casLoop(this->p(), [](Persister& p) {
          Result<Node> n = p.get("/counter");
          if (!n.has_value()) return n.error();
          std::string next = std::to_string(std::stoi(n->value) + 1);
          return p.set("/counter", next, Expect::atVersion(n->version)).status();
        });
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(this->value("/counter"), std::to_string(kThreads * kIncrements));
  EXPECT_EQ(this->version("/counter"), 1 + kThreads * kIncrements);
}

TYPED_TEST(PersisterConformance, ConcurrentCreatorsOfTheSameNodeHaveExactlyOneWinner) {
  constexpr int kThreads = 4, kNodes = 40;
  std::vector<std::atomic<int>> wins(kNodes);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int n = 0; n < kNodes; ++n) {
        Result<Version> made =
            this->p().set("/claims/" + std::to_string(n), std::to_string(t), Expect::absent());
        if (made.has_value()) {
          wins[n]++;
        } else {
          EXPECT_EQ(made.status().code(), StatusCode::kConflict) << made.status();
        }
      }
    });
  }
  for (auto& t : threads) t.join();
  for (int n = 0; n < kNodes; ++n) EXPECT_EQ(wins[n].load(), 1) << "node " << n;
  EXPECT_EQ(this->children("/claims").size(), static_cast<size_t>(kNodes));
}

TYPED_TEST(PersisterConformance, ConcurrentMultiNodeCommitsStayAllOrNothing) {
  constexpr int kThreads = 4, kCommits = 40;
  ASSERT_TRUE(this->p().commit({Op::set("/pair/a", "0"), Op::set("/pair/b", "0")}).has_value());
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kCommits; ++i) {
        casLoop(this->p(), [t](Persister& p) {
          Result<Node> a = p.get("/pair/a");
          Result<Node> b = p.get("/pair/b");
          if (!a.has_value() || !b.has_value()) return Status::internal("pair vanished");
          std::string next = std::to_string(std::stoi(a->value) + 1);
          // Odd threads also churn a scratch subtree in the same commit.
          std::vector<Op> ops = {Op::set("/pair/a", next, Expect::atVersion(a->version)),
                                 Op::set("/pair/b", next, Expect::atVersion(b->version))};
          if (t % 2 == 1) ops.push_back(Op::set("/scratch/" + std::to_string(t) + "/x", next));
          return p.commit(ops).status();
        });
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(this->value("/pair/a"), std::to_string(kThreads * kCommits));
  EXPECT_EQ(this->value("/pair/b"), std::to_string(kThreads * kCommits));
  EXPECT_EQ(this->version("/pair/a"), this->version("/pair/b"));
}

}  // namespace
}  // namespace keel::state
