// A dataset as `optiloop eval` opens it: what a path is (a folder of task folders, a PIE file, or
// an input error naming the path or --pie-tests), and validating, listing and loading either kind.
#include <gtest/gtest.h>

#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>

#include <optiloop/datasets/dataset.hpp>

namespace fs = std::filesystem;
using namespace optiloop;

namespace {

const fs::path k_pie = fs::path(OPTILOOP_TEST_DATA) / "datasets" / "fixtures" / "pie";
const fs::path k_builtin = fs::path(OPTILOOP_SOURCE_DIR) / "datasets" / "builtin";

// A scratch folder, removed at the end of the test.
struct Scratch {
    fs::path dir = fs::temp_directory_path() / ("optiloop-dataset-" + std::to_string(::getpid()));
    Scratch() { fs::create_directories(dir); }
    ~Scratch() { fs::remove_all(dir); }
};

std::string open_error(const fs::path& path, const std::string& pie_tests = "") {
    auto dataset = datasets::open_dataset(path, pie_tests);
    EXPECT_FALSE(dataset) << path;
    return dataset ? "" : dataset.error().message;
}

}  // namespace

TEST(Dataset, APathThatIsNoDatasetIsAnInputErrorNamingIt) {
    Scratch scratch;
    EXPECT_EQ(open_error(scratch.dir / "missing"), (scratch.dir / "missing").string() + ": no such file or directory");
    std::ofstream(scratch.dir / "notes.txt") << "x\n";
    EXPECT_EQ(open_error(scratch.dir / "notes.txt"), (scratch.dir / "notes.txt").string() + ": not a directory or a PIE .jsonl file");
    EXPECT_EQ(open_error(scratch.dir), scratch.dir.string() + ": no task folder (a folder with task.json) found");
    EXPECT_EQ(open_error(k_builtin, "tests"), "--pie-tests: only for a PIE .jsonl file; " + k_builtin.string() + " is not one");
    EXPECT_EQ(open_error(k_pie / "train.jsonl", (scratch.dir / "none").string()), "--pie-tests " + (scratch.dir / "none").string() + ": not a directory");
    for (const auto& [path, tests] : {std::pair{k_builtin, std::string()}, {k_pie / "train.jsonl", std::string()}, {k_pie / "train.jsonl", (k_pie / "tests").string()}}) {
        const auto dataset = datasets::open_dataset(path, tests);
        ASSERT_TRUE(dataset) << dataset.error().message;
        EXPECT_EQ(dataset->pie, path.extension() == ".jsonl");
    }
}

TEST(Dataset, AFolderOfTaskFoldersValidatesListsAndLoads) {
    const auto dataset = datasets::open_dataset(k_builtin, "");
    ASSERT_TRUE(dataset) << dataset.error().message;
    const auto v = datasets::validate_dataset(*dataset);
    EXPECT_EQ(v.tasks, dataset->task_dirs.size());
    EXPECT_EQ(v.tasks_with_problems, 0u);
    EXPECT_TRUE(v.problems.empty()) << v.problems.front();
    const auto listing = datasets::list_dataset(*dataset);
    EXPECT_TRUE(listing.file_problems.empty());
    ASSERT_EQ(listing.tasks.size(), dataset->task_dirs.size());
    EXPECT_TRUE(std::all_of(listing.tasks.begin(), listing.tasks.end(), [](const auto& t) { return t.has_value(); }));
    const auto tasks = datasets::load_dataset(*dataset);
    ASSERT_TRUE(tasks) << tasks.error().message;
    EXPECT_EQ(tasks->size(), dataset->task_dirs.size());
}

TEST(Dataset, ATaskIdUsedTwiceStopsTheLoadAndABrokenTaskIsListedAsItsProblem) {
    Scratch scratch;
    fs::copy(k_builtin / "alg-count-primes", scratch.dir / "a", fs::copy_options::recursive);
    fs::copy(k_builtin / "alg-count-primes", scratch.dir / "b", fs::copy_options::recursive);
    auto dataset = datasets::open_dataset(scratch.dir, "");
    ASSERT_TRUE(dataset) << dataset.error().message;
    const auto twice = datasets::load_dataset(*dataset);
    ASSERT_FALSE(twice);
    EXPECT_NE(twice.error().message.find("task id alg-count-primes is used twice in the dataset"), std::string::npos) << twice.error().message;
    // b's task.json broken: listed as its problem, beside a's row; validation counts it.
    std::ofstream(scratch.dir / "b" / "task.json") << "{";
    const auto listing = datasets::list_dataset(*dataset);
    ASSERT_EQ(listing.tasks.size(), 2u);
    EXPECT_EQ(std::count_if(listing.tasks.begin(), listing.tasks.end(), [](const auto& t) { return !t.has_value(); }), 1);
    const auto v = datasets::validate_dataset(*dataset);
    EXPECT_EQ(v.tasks, 2u);
    EXPECT_EQ(v.tasks_with_problems, 1u);
    EXPECT_FALSE(v.problems.empty());
    EXPECT_FALSE(datasets::load_dataset(*dataset));
}

TEST(Dataset, APieFileValidatesListsAndLoadsLikeItsLoader) {
    const auto good = datasets::open_dataset(k_pie / "train.jsonl", "");
    ASSERT_TRUE(good) << good.error().message;
    const auto tasks = datasets::load_dataset(*good);
    ASSERT_TRUE(tasks) << tasks.error().message;
    EXPECT_FALSE(tasks->empty());
    EXPECT_TRUE(datasets::validate_dataset(*good).problems.empty());
    const auto bad = datasets::open_dataset(k_pie / "bad.jsonl", "");
    ASSERT_TRUE(bad) << bad.error().message;
    EXPECT_FALSE(datasets::load_dataset(*bad));
    const auto v = datasets::validate_dataset(*bad);
    EXPECT_GT(v.tasks_with_problems, 0u);
    const auto listing = datasets::list_dataset(*bad);
    EXPECT_TRUE(std::any_of(listing.tasks.begin(), listing.tasks.end(), [](const auto& t) { return !t.has_value(); }));
}
