#include <chrono>
#include <istream>
#include <ostream>
#include <thread>

#include <optiloop/core/files.hpp>
#include <optiloop/llm/parse.hpp>
#include <optiloop/llm/paste.hpp>

namespace optiloop::llm {

namespace fs = std::filesystem;

namespace {

// Task ids come from folder names; a file name keeps only the harmless characters.
std::string file_part(const std::string& id) {
    std::string out;
    for (char c : id) out += (std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.') ? c : '_';
    return out.empty() || out.front() == '.' ? "task" + out : out;
}

}  // namespace

core::Result<std::unique_ptr<PasteProposer>> PasteProposer::create(PasteOptions options) {
    std::error_code ec;
    fs::create_directories(options.dir, ec);
    if (ec || !fs::is_directory(options.dir)) return core::fail(core::Error::input("--paste-dir " + options.dir.string() + ": cannot create the folder"));
    if (const std::string why = core::cannot_write(options.dir, true); !why.empty())
        return core::fail(core::Error::input("--paste-dir " + options.dir.string() + ": cannot write there (" + why + ")"));
    return std::unique_ptr<PasteProposer>(new PasteProposer(std::move(options)));
}

core::Result<std::string> PasteProposer::answer_from_file(const fs::path& path) {
    const auto start = std::chrono::steady_clock::now();
    std::optional<std::uintmax_t> last_size;
    for (;;) {
        std::error_code ec;
        if (fs::exists(path, ec)) {
            const auto size = fs::file_size(path, ec);
            // Taken once it stopped growing between two looks (an editor or a script may still write).
            if (!ec && last_size && *last_size == size) {
                auto opened = core::open_regular_file(path, k_max_answer_bytes);
                if (!opened) return core::fail(core::Error::input(opened.error().message));
                return opened->read();
            }
            if (!ec) last_size = size;
        }
        if (std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count() > m_options.wait_seconds)
            return core::fail(core::Error::infrastructure("--provider paste: no answer appeared at " + path.string() + " within " +
                                                          std::to_string(static_cast<int>(m_options.wait_seconds)) + " s (--llm-timeout)"));
        std::this_thread::sleep_for(std::chrono::duration<double>(m_options.poll_seconds));
    }
}

std::string PasteProposer::answer_from_terminal(int number, int of) {
    *m_options.out << "\n-- paste answer " << number << " of " << of << ", then a line holding only .end (or Ctrl-D) --\n" << std::flush;
    std::string text, line;
    while (std::getline(*m_options.in, line)) {
        if (line == ".end") break;
        text += line + "\n";
        if (text.size() > k_max_answer_bytes) break;
    }
    m_options.in->clear();
    return text;
}

core::Result<std::vector<core::Edit>> PasteProposer::propose(const core::Task& task, const core::ProposalContext& context) {
    std::string source;
    for (const auto& f : context.current) source += f.content;
    PromptInputs inputs{&task, context.current, context.hints, context.feedback,
                        retrieve_examples(source, m_options.examples, m_options.example_count, task.id, k_example_min_similarity), m_options.edit_format};
    const auto messages = build_messages(m_options.templates, inputs);
    const int call = context.request + 1;
    const int samples = std::max(1, context.samples);
    const std::string stem = file_part(task.id) + "-r" + std::to_string(context.round) + "-c" + std::to_string(call);
    std::string prompt = "<!-- optiloop prompt: task " + task.id + ", round " + std::to_string(context.round) + ", request " + std::to_string(call) + "; " +
                         std::to_string(samples) + " answer" + (samples == 1 ? "" : "s") + " wanted, each in " + stem + "-answer-J.md (J = 1.." +
                         std::to_string(samples) + ") -->\n";
    for (const auto& m : messages) prompt += "\n# " + m.role + "\n\n" + m.content + "\n";
    const fs::path prompt_path = m_options.dir / (stem + "-prompt.md");
    if (!core::write_file_atomically(prompt_path, prompt))
        return core::fail(core::Error::infrastructure("--provider paste: cannot write " + prompt_path.string()));
    if (m_options.log) m_options.log("paste: the prompt is in " + prompt_path.string() + "; waiting for " + std::to_string(samples) + " answer(s)");
    if (m_options.terminal && m_options.out) *m_options.out << prompt << std::flush;
    std::vector<core::Edit> edits;
    for (int j = 1; j <= samples; ++j) {
        std::string answer;
        if (m_options.terminal && m_options.in) {
            answer = answer_from_terminal(j, samples);
        } else {
            auto text = answer_from_file(m_options.dir / (stem + "-answer-" + std::to_string(j) + ".md"));
            if (!text) {
                if (text.error().kind != core::ErrorKind::input) return core::fail(text.error());
                edits.push_back(core::Edit{name(), "", {}, {}, text.error().message, {}});
                continue;
            }
            answer = *text;
        }
        if (answer.find_first_not_of(" \t\r\n") == std::string::npos) {
            edits.push_back(core::Edit{name(), "", {}, {}, "the answer was empty", {}});
            continue;
        }
        auto edit = parse_answer(answer, context.current, name());
        if (edit) {
            edits.push_back(std::move(*edit));
            continue;
        }
        std::string gist = answer.substr(0, 160);
        std::replace(gist.begin(), gist.end(), '\n', ' ');
        edits.push_back(core::Edit{name(), gist, {}, {}, "the answer could not be applied: " + edit.error().message, {}});
    }
    return edits;
}

}  // namespace optiloop::llm
