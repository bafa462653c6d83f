// Running the optimizer over a dataset (optiloop eval DATASET) and joining shards (--merge).
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include <optiloop/core/error.hpp>
#include <optiloop/core/model.hpp>

#include "commands.hpp"
#include "proposers.hpp"

namespace optiloop::cli {

struct EvalRunArgs {
    ProposerArgs proposer;
    SearchArgs search;
    int samples = 4;
    int rounds = 3;
    int jobs = 1;
    std::optional<int> limit;
    std::string tasks;
    std::string shard;
    std::string db = "optiloop-eval.db";
    bool resume = false;
    std::vector<std::string> merge;
    std::string counter = "auto";
    int repeat = 1;
    bool no_reference = false;
};

void add_eval_run_options(CLI::App& app, EvalRunArgs& args);

// `ids` are the dataset's task ids; `load` loads one of them.
using LoadTask = std::function<core::Result<core::Task>(const std::string&)>;
int run_eval_command(Streams& s, const std::string& dataset, const std::vector<std::string>& ids, const LoadTask& load, const EvalRunArgs& args);
int merge_command(Streams& s, const EvalRunArgs& args);

}  // namespace optiloop::cli
