#include "keel/http/discovery.h"

#include <gtest/gtest.h>

#include <string>
#include <utility>

namespace keel::http {
namespace {

DiscoveryNames names(std::string service, std::string domain = "keel.local",
                     std::string vipDomain = "") {
  return DiscoveryNames{std::move(service), std::move(domain), std::move(vipDomain)};
}

TEST(DiscoveryNames, NamesTasksUnderTheServiceAndDomain) {
  struct Row {
    DiscoveryNames names;
    const char* task;
    const char* host;
  };
  Row rows[] = {
      {names("data-store"), "data-0-node", "data-0-node.data-store.keel.local"},
      {names("data-store", "cluster.example"), "data-0-node",
       "data-0-node.data-store.cluster.example"},
      {names("/group/data.store"), "meta-data-1-node",
       "meta-data-1-node.groupdata-store.keel.local"},
      {names("data-store"), "web.1", "web-1.data-store.keel.local"},
  };
  for (const Row& row : rows) EXPECT_EQ(row.names.taskHost(row.task), row.host) << row.task;
}

TEST(DiscoveryNames, FormsEndpointsAndVips) {
  DiscoveryNames plain = names("data-store");
  EXPECT_EQ(plain.taskEndpoint("data-0-node", 4388), "data-0-node.data-store.keel.local:4388");
  EXPECT_EQ(plain.vipEndpoint("db", 5432), "db.data-store.l4lb.keel.local:5432");
  DiscoveryNames custom = names("/folder/svc", "keel.local", "vip.example");
  EXPECT_EQ(custom.vipEndpoint("db", 5432), "db.foldersvc.vip.example:5432");
}

}  // namespace
}  // namespace keel::http
