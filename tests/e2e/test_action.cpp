// The GitHub Action (action.yml) against the binary it drives: every `optiloop` command line in
// a `run:` block must name a real subcommand and real flags, the scripts it runs must exist and be
// executable, and no `${{ }}` expression may be pasted into a script (script injection).
#include <gtest/gtest.h>

#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <vector>

namespace fs = std::filesystem;

namespace {

const fs::path k_source_dir = OPTILOOP_SOURCE_DIR;
const fs::path k_action = k_source_dir / "action.yml";

std::string slurp(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

std::vector<std::string> split_lines(const std::string& text) {
    std::vector<std::string> lines;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);) lines.push_back(line);
    return lines;
}

std::size_t indent_of(const std::string& line) { return line.find_first_not_of(' '); }

bool is_blank(const std::string& line) { return line.find_first_not_of(" \t\r") == std::string::npos; }

// One line of a script, with the action.yml line it starts on.
struct ScriptLine {
    std::size_t number = 0;  // 1-based, in action.yml
    std::string text;
};

// The lines of every `run:` value: a block scalar (`run: |`) runs until the indentation falls back
// to the key's; a plain value is its one line. Enough YAML for an action file, not a parser.
std::vector<ScriptLine> run_lines(const std::string& yaml) {
    static const std::regex k_run_key(R"(^( *)(- +)?run: *(.*)$)");
    const std::vector<std::string> lines = split_lines(yaml);
    std::vector<ScriptLine> script;
    for (std::size_t i = 0; i < lines.size(); ++i) {
        std::smatch match;
        if (!std::regex_match(lines[i], match, k_run_key)) continue;
        const std::size_t key_indent = match[1].length() + match[2].length();
        const std::string value = match[3];
        if (!value.starts_with('|') && !value.starts_with('>')) {
            script.push_back({i + 1, value});
            continue;
        }
        for (std::size_t j = i + 1; j < lines.size(); ++j) {
            if (!is_blank(lines[j]) && indent_of(lines[j]) <= key_indent) break;
            script.push_back({j + 1, lines[j]});
        }
    }
    return script;
}

// Lines continued with a trailing backslash joined into one, comments dropped.
std::vector<ScriptLine> logical_lines(const std::vector<ScriptLine>& lines) {
    std::vector<ScriptLine> joined;
    bool continuing = false;
    for (const ScriptLine& line : lines) {
        std::string text = line.text;
        while (!text.empty() && (text.back() == ' ' || text.back() == '\r')) text.pop_back();
        const bool continues = text.ends_with('\\');
        if (continues) text.pop_back();
        if (continuing) joined.back().text += " " + text;
        else if (!is_blank(text) && text[text.find_first_not_of(" \t")] != '#') joined.push_back({line.number, text});
        else if (continues) joined.push_back({line.number, text});
        continuing = continues;
    }
    return joined;
}

// The line with every quoted character replaced by 'Q' (the quotes kept), so operators and flags
// are only looked for where the shell would see them; same length as the line.
std::string mask_quotes(const std::string& line) {
    std::string masked = line;
    char quote = 0;
    for (std::size_t i = 0; i < line.size(); ++i) {
        const char c = line[i];
        if (quote == 0) {
            if (c == '\'' || c == '"') quote = c;
            else if (c == '\\' && i + 1 < line.size()) masked[++i] = 'Q';
            continue;
        }
        if (c == quote) {
            quote = 0;
        } else {
            masked[i] = 'Q';
            if (quote == '"' && c == '\\' && i + 1 < line.size()) masked[++i] = 'Q';
        }
    }
    return masked;
}

struct Invocation {
    std::size_t line = 0;
    std::string subcommand;  // empty for `optiloop --version` and the like
    std::vector<std::string> flags;
};

std::string unquoted(std::string word) {
    std::string text;
    for (char c : word)
        if (c != '"' && c != '\'') text += c;
    return text;
}

// Every `optiloop ...` command in a script line: the word in command position (after `;`, `&&`,
// `||`, `|`, `(`, `$(`, `if`, `!` ...) whose basename is optiloop, its subcommand and the
// `--flags` the shell would pass it, `${X:+--flag "$X"}` included.
std::vector<Invocation> invocations_in(const ScriptLine& line) {
    static const std::set<std::string> k_prefixes = {"if",   "then", "else", "elif", "do",   "while",
                                                     "until", "!",   "time", "exec", "command"};
    static const std::regex k_assignment(R"(^[A-Za-z_][A-Za-z0-9_]*=.*)");
    static const std::regex k_flag(R"((?:^|[^A-Za-z0-9_-])(--[a-z][a-z0-9-]*))");

    const std::string masked = mask_quotes(line.text);
    // Cut into commands at the unquoted control operators.
    std::vector<std::pair<std::size_t, std::size_t>> commands;
    std::size_t start = 0;
    for (std::size_t i = 0; i <= masked.size(); ++i) {
        const bool end = i == masked.size();
        const char c = end ? '\0' : masked[i];
        const bool comment = c == '#' && (i == 0 || masked[i - 1] == ' ' || masked[i - 1] == '\t');
        if (end || comment || c == ';' || c == '&' || c == '|' || c == '(' || c == ')' || c == '`') {
            commands.emplace_back(start, i);
            if (comment) break;
            start = i + 1;
        }
    }

    std::vector<Invocation> found;
    for (const auto& [from, to] : commands) {
        const std::string masked_command = masked.substr(from, to - from);
        const std::string command = line.text.substr(from, to - from);
        std::vector<std::pair<std::size_t, std::size_t>> words;  // offset, length within the command
        for (std::size_t i = 0; i < masked_command.size();) {
            if (masked_command[i] == ' ' || masked_command[i] == '\t') {
                ++i;
                continue;
            }
            const std::size_t end = masked_command.find_first_of(" \t", i);
            const std::size_t stop = end == std::string::npos ? masked_command.size() : end;
            words.emplace_back(i, stop - i);
            i = stop;
        }
        std::size_t w = 0;
        while (w < words.size()) {
            const std::string word = command.substr(words[w].first, words[w].second);
            if (!k_prefixes.contains(word) && !std::regex_match(word, k_assignment)) break;
            ++w;
        }
        if (w >= words.size() || fs::path(unquoted(command.substr(words[w].first, words[w].second))).filename() != "optiloop")
            continue;

        Invocation invocation;
        invocation.line = line.number;
        if (w + 1 < words.size()) {
            const std::string next = command.substr(words[w + 1].first, words[w + 1].second);
            if (!next.starts_with('-') && !next.starts_with('$')) invocation.subcommand = next;
        }
        const std::string arguments = masked_command.substr(words[w].first + words[w].second);
        for (auto it = std::sregex_iterator(arguments.begin(), arguments.end(), k_flag); it != std::sregex_iterator(); ++it)
            invocation.flags.push_back((*it)[1]);
        found.push_back(std::move(invocation));
    }
    return found;
}

std::vector<Invocation> all_invocations(const std::string& yaml) {
    std::vector<Invocation> found;
    for (const ScriptLine& line : logical_lines(run_lines(yaml)))
        for (Invocation& invocation : invocations_in(line)) found.push_back(std::move(invocation));
    return found;
}

struct HelpText {
    int code = -1;
    std::string text;
};

HelpText help_of(const std::string& subcommand) {
    const fs::path out = fs::temp_directory_path() / ("optiloop-action-help-" + std::to_string(::getpid()));
    std::string command = std::string("'") + OPTILOOP_BINARY + "'";
    if (!subcommand.empty()) command += " " + subcommand;
    command += " --help > '" + out.string() + "' 2>&1 < /dev/null";
    const int status = std::system(command.c_str());
    HelpText help{WIFEXITED(status) ? WEXITSTATUS(status) : -1, slurp(out)};
    fs::remove(out);
    return help;
}

// "--bench" must not be found inside "--bench-format".
bool mentions_flag(const std::string& help, const std::string& flag) {
    for (std::size_t at = help.find(flag); at != std::string::npos; at = help.find(flag, at + 1)) {
        const std::size_t after = at + flag.size();
        const bool whole = after == help.size() ||
                           !(std::isalnum(static_cast<unsigned char>(help[after])) || help[after] == '-' || help[after] == '_');
        if (whole) return true;
    }
    return false;
}

}  // namespace

TEST(ActionScript, FindsInvocationsSubcommandsAndFlags) {
    const std::string yaml =
        "runs:\n"
        "  steps:\n"
        "    - run: optiloop doctor --json\n"
        "    - name: ci\n"
        "      run: |\n"
        "        # optiloop ci --not-a-flag in a comment\n"
        "        echo \"optiloop --quoted\" && cmake --target optiloop\n"
        "        status=0; optiloop ci --base \"$BASE --inside-quotes\" \\\n"
        "          ${BENCH:+--bench \"$BENCH\"} --bench-format x || echo --after\n"
        "        \"$RUNNER_TEMP/bin/optiloop\" --version\n"
        "    - run: echo done --not-optiloop\n";
    const std::vector<Invocation> found = all_invocations(yaml);
    ASSERT_EQ(found.size(), 3u);
    EXPECT_EQ(found[0].subcommand, "doctor");
    EXPECT_EQ(found[0].flags, std::vector<std::string>{"--json"});
    EXPECT_EQ(found[0].line, 3u);
    EXPECT_EQ(found[1].subcommand, "ci");
    EXPECT_EQ(found[1].flags, (std::vector<std::string>{"--base", "--bench", "--bench-format"}));
    EXPECT_EQ(found[1].line, 8u);
    EXPECT_EQ(found[2].subcommand, "");
    EXPECT_EQ(found[2].flags, std::vector<std::string>{"--version"});
}

TEST(Action, EveryOptiloopCommandUsesARealSubcommandAndRealFlags) {
    const std::string yaml = slurp(k_action);
    ASSERT_FALSE(yaml.empty()) << k_action << " is missing or empty";
    const std::vector<Invocation> found = all_invocations(yaml);
    ASSERT_FALSE(found.empty()) << "no `optiloop` command found in the run: blocks of " << k_action;
    bool runs_ci = false;
    std::map<std::string, HelpText> helps;
    for (const Invocation& invocation : found) {
        runs_ci = runs_ci || invocation.subcommand == "ci";
        const std::string shown = invocation.subcommand.empty() ? "optiloop" : "optiloop " + invocation.subcommand;
        auto it = helps.find(invocation.subcommand);
        if (it == helps.end()) it = helps.emplace(invocation.subcommand, help_of(invocation.subcommand)).first;
        const HelpText& help = it->second;
        if (help.code != 0) {
            ADD_FAILURE() << "action.yml:" << invocation.line << ": `" << shown << " --help` exited " << help.code
                          << "; is `" << invocation.subcommand << "` a subcommand?\n"
                          << help.text;
            continue;
        }
        for (const std::string& flag : invocation.flags)
            EXPECT_TRUE(mentions_flag(help.text, flag))
                << "action.yml:" << invocation.line << ": `" << shown << "` has no flag " << flag << " (not in `"
                << shown << " --help`)";
    }
    EXPECT_TRUE(runs_ci) << "action.yml never runs `optiloop ci`";
}

TEST(Action, ScriptsItRunsExistAndAreExecutable) {
    static const std::regex k_action_path(R"(\$\{?GITHUB_ACTION_PATH\}?/([A-Za-z0-9._/-]+))");
    std::set<std::string> referenced;
    for (const ScriptLine& line : run_lines(slurp(k_action)))
        for (auto it = std::sregex_iterator(line.text.begin(), line.text.end(), k_action_path);
             it != std::sregex_iterator(); ++it)
            referenced.insert((*it)[1]);
    EXPECT_TRUE(referenced.contains("scripts/install-deps")) << "action.yml does not run scripts/install-deps";
    for (const std::string& path : referenced) {
        const fs::path file = k_source_dir / path;
        EXPECT_TRUE(fs::exists(file)) << "action.yml refers to $GITHUB_ACTION_PATH/" << path << ", which is missing";
        if (path.starts_with("scripts/")) {
            EXPECT_EQ(::access(file.c_str(), X_OK), 0) << path << " is not executable (chmod +x, and in git)";
        }
    }
}

TEST(Action, NoExpressionInsideAScript) {
    // A `${{ }}` in `run:` is pasted into the script before bash reads it: an input or a pull
    // request's title could then run as code. Inputs go through `env:` instead.
    for (const ScriptLine& line : run_lines(slurp(k_action))) {
        if (line.text.find("${{ inputs.") != std::string::npos)
            ADD_FAILURE() << "action.yml:" << line.number << ": an input expanded inside run: (pass it through env:): "
                          << line.text;
        else if (line.text.find("${{") != std::string::npos)
            ADD_FAILURE() << "action.yml:" << line.number
                          << ": an expression expanded inside run: (pass it through env:): " << line.text;
    }
}

TEST(Action, EveryRunStepNamesAShell) {
    // A composite action's run: step without shell: is rejected when the action loads.
    static const std::regex k_steps_key(R"(^( *)steps: *$)");
    static const std::regex k_item(R"(^( *)- +(.*)$)");
    const std::vector<std::string> lines = split_lines(slurp(k_action));
    std::size_t first = lines.size(), section_indent = 0;
    for (std::size_t i = 0; i < lines.size() && first == lines.size(); ++i) {
        std::smatch match;
        if (std::regex_match(lines[i], match, k_steps_key)) {
            first = i + 1;
            section_indent = match[1].length();
        }
    }
    ASSERT_LT(first, lines.size()) << "no steps: in action.yml";

    struct Step {
        std::size_t line = 0;
        bool run = false, shell = false;
    };
    std::vector<Step> steps;
    std::size_t step_indent = std::string::npos;
    for (std::size_t i = first; i < lines.size(); ++i) {
        if (is_blank(lines[i]) || lines[i][indent_of(lines[i])] == '#') continue;
        if (indent_of(lines[i]) <= section_indent) break;
        std::smatch match;
        std::string key;
        if (std::regex_match(lines[i], match, k_item) &&
            (step_indent == std::string::npos || static_cast<std::size_t>(match[1].length()) == step_indent)) {
            step_indent = match[1].length();
            steps.push_back({i + 1});
            key = match[2];
        } else if (!steps.empty() && indent_of(lines[i]) == step_indent + 2) {
            key = lines[i].substr(step_indent + 2);
        }
        if (key.starts_with("run:")) steps.back().run = true;
        if (key.starts_with("shell:")) steps.back().shell = true;
    }
    ASSERT_FALSE(steps.empty()) << "no steps found in action.yml";
    for (const Step& step : steps)
        if (step.run) {
            EXPECT_TRUE(step.shell) << "action.yml:" << step.line << ": a run: step without shell:";
        }
}
