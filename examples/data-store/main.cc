// data-store: the tutorial's service as a keel program. Reads its
// configuration from the environment (METADATA_COUNT, DATA_COUNT, ...),
// builds the service spec with keel's C++ API and prints the deploy plan.
// When keel's scheduler lands, this same program deploys it.
#include <iostream>

#include "data_store_spec.h"
#include "keel/env_file.h"
#include "keel/plan_generator.h"
#include "keel/plan_json.h"

int main() {
  auto spec = datastore::serviceSpec(keel::processEnvironment());
  if (!spec) {
    std::cerr << "data-store: " << spec.error().message() << "\n";
    return 1;
  }
  auto plan = keel::plan::generateDeployPlan(*spec);
  if (!plan) {
    std::cerr << "data-store: " << plan.error().message() << "\n";
    return 1;
  }
  std::cout << "data-store: service spec built from the environment\n"
            << keel::plan::planTree(*plan) << "\n";
  return 0;
}
