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
    // --slurm: the shards as one Slurm job array (optimizer/slurm.hpp).
    bool slurm = false;
    int shards = 0;
    std::vector<std::string> slurm_options;
    std::string slurm_dir;
    bool slurm_script_only = false;
    bool no_wait = false;
};

void add_eval_run_options(CLI::App& app, EvalRunArgs& args);

// `ids` are the dataset's task ids; `load` loads one of them.
using LoadTask = std::function<core::Result<core::Task>(const std::string&)>;
int run_eval_command(Streams& s, const std::string& dataset, const std::vector<std::string>& ids, const LoadTask& load, const EvalRunArgs& args);
// eval --slurm: `app` is the eval command's parser, from which the shards' command line is made
// (every option the user gave, except the ones --slurm owns).
int run_slurm_command(Streams& s, const CLI::App& app, const std::string& dataset, const std::vector<std::string>& ids, const EvalRunArgs& args);
int merge_command(Streams& s, const EvalRunArgs& args);

}  // namespace optiloop::cli
