#include "config/option_defaults.h"

#include <gtest/gtest.h>

namespace keel::config {
namespace {

using nlohmann::json;

TEST(SchemaDefaults, CollectsNestedDefaultsAndDropsPropertiesWithout) {
  json schema = json::parse(R"({"type": "object", "properties": {
    "service": {"type": "object", "properties": {
      "name": {"type": "string", "default": "hello-world"},
      "check": {"type": "object", "properties": {"interval": {"type": "integer", "default": 60}}},
      "empty": {"type": "object", "properties": {"x": {"type": "string"}}}}},
    "debug": {"type": "object", "properties": {"address": {"type": "string"}}},
    "whole": {"type": "object", "default": {"a": 1}, "properties": {"b": {"default": 2}}},
    "list": {"type": "array", "default": []}}})");
  EXPECT_EQ(schemaDefaults(schema), json::parse(R"({
    "service": {"name": "hello-world", "check": {"interval": 60}},
    "whole": {"a": 1}, "list": []})"));
}

TEST(SchemaDefaults, IsAnEmptyObjectForASchemaWithoutProperties) {
  EXPECT_EQ(schemaDefaults(json::parse(R"({"type": "object"})")), json::object());
  EXPECT_EQ(schemaDefaults(json::array()), json::object());
}

TEST(DeepMerge, MergesObjectsKeyByKeyAndReplacesEverythingElse) {
  json target = json::parse(R"({"a": {"x": 1, "y": [1, 2]}, "b": "keep", "c": {"z": 1}})");
  deepMerge(target, json::parse(R"({"a": {"y": [3], "w": null}, "c": 5, "d": true})"));
  EXPECT_EQ(target, json::parse(R"({"a": {"x": 1, "y": [3], "w": null}, "b": "keep",
                                    "c": 5, "d": true})"));
}

TEST(UnknownOptionWarnings, NamesKeysTheSchemaDoesNotDeclareWhereItIsOpen) {
  json schema = json::parse(R"({"type": "object", "properties": {
    "hello": {"type": "object", "properties": {"count": {"type": "integer"}}},
    "closed": {"type": "object", "additionalProperties": false, "properties": {}},
    "free": {"type": "object", "properties": {}, "patternProperties": {"^x": {}}}}})");
  json options = json::parse(R"({"hello": {"count": 1, "colour": "red"}, "closed": {"k": 1},
                                  "free": {"anything": 1}, "extra": 2})");
  std::vector<std::string> warnings = unknownOptionWarnings(schema, options, "opts.json");
  ASSERT_EQ(warnings.size(), 2u);
  EXPECT_EQ(warnings[0],
            "opts.json: extra: unknown option (config.json declares no 'extra'); kept, but the "
            "package may not use it");
  EXPECT_EQ(warnings[1],
            "opts.json: hello.colour: unknown option (config.json declares no 'colour' under "
            "'hello'); kept, but the package may not use it");
}

}  // namespace
}  // namespace keel::config
