#include "commands/console.h"

#include "utf8.h"

#include <toml++/toml.h>

#include <fstream>
#include <sstream>
#include <unordered_set>

#include "commands/explain.h"
#include "content/toml_reader.h"

namespace gongkai {

SourceTexts SourceTexts::from(const Snapshot& snapshot) {
    SourceTexts texts;
    for (const auto& f : snapshot.files) {
        if (f.reused) continue;  // left unread
        texts.files_.emplace(f.repo_path, f.data);
        if (f.path != "gongkai.toml") continue;
        // Through the guarded parser, which refuses what would exhaust the stack; an editor who
        // broke gongkai.toml still gets the advice, in English.
        Diagnostics ignored;
        if (auto config = parse_toml(f.data, f.repo_path, 1, ignored))
            texts.language_ = (*config)["language"].value_or(std::string());
    }
    return texts;
}

SourceTexts SourceTexts::quoted(ContentSource& content, const std::string& prefix, const Diagnostics& diagnostics) {
    std::unordered_set<std::string> named{join_repo_path(prefix, "gongkai.toml")};
    for (const auto& d : diagnostics.items()) named.insert(d.path);
    Reusing reusing(content, [&](const std::string& path, const std::string&) {
        return !named.contains(join_repo_path(prefix, path));
    });
    Diagnostics ignored;
    try {
        return from(content.read(ignored));
    } catch (const std::exception&) {
        return {};
    }
}

std::optional<std::string> SourceTexts::line(const std::string& path, std::size_t number) const {
    if (number == 0) return std::nullopt;
    std::string text;
    if (auto it = files_.find(path); it != files_.end()) {
        text = it->second;
    } else if (path.starts_with("/")) {
        std::ifstream in(path, std::ios::binary);
        if (!in) return std::nullopt;
        std::ostringstream s;
        s << in.rdbuf();
        text = std::move(s).str();
    } else {
        return std::nullopt;
    }
    std::size_t start = 0;
    for (std::size_t n = 1; n < number; ++n) {
        start = text.find('\n', start);
        if (start == std::string::npos) return std::nullopt;
        ++start;
    }
    if (start > text.size()) return std::nullopt;
    std::size_t end = text.find('\n', start);
    return text.substr(start, end == std::string::npos ? std::string::npos : end - start);
}

std::string format_human(const Diagnostic& d, const SourceTexts& texts) {
    Advice english = split_advice(d.message);
    Diagnostic located = d;
    located.message = english.problem;
    std::string out = format(located) + "\n";
    // A line is quoted only as it is: one with control characters, bytes that are not UTF-8 or
    // over 200 bytes would garble the terminal or misplace the caret, so it is left out.
    auto text = texts.line(d.path, d.line);
    if (text && !text->empty() && text->back() == '\r') text->pop_back();
    if (text && printable(*text, 200, true) == *text) {
        // An unknown key is pointed at by name, not by its value.
        std::size_t column = english.problem == "unknown key" ? 0 : d.column;
        std::string_view key = d.key;
        if (auto dot = key.rfind('.'); dot != std::string_view::npos) key = key.substr(dot + 1);
        std::size_t at = column == 0 && english.problem == "unknown key" ? text->find(key) : std::string::npos;
        if (at != std::string::npos && text->find_first_not_of(" \t") == at) column = at + 1;
        out += source_excerpt(*text, d.line, column, d.key);
    }
    bool chinese = texts.language().starts_with("zh");
    Advice local = explain(d, texts.language());
    std::string indent = "    = ";
    if (chinese && local.problem != english.problem) out += indent + "问题：" + local.problem + "\n";
    if (!local.instead.empty()) out += indent + (chinese ? "修改方法：" : "to fix: ") + local.instead + "\n";
    return out;
}

void Console::diagnostics(const Diagnostics& diagnostics, const SourceTexts& texts) {
    switch (format_) {
    case DiagnosticFormat::json:
        out_ << format_json(diagnostics) << std::flush;
        return;
    case DiagnosticFormat::github:
        for (const auto& d : diagnostics.items())
            if (d.severity == Severity::error || verbosity_ != Verbosity::quiet) out_ << format_github(d) << '\n';
        out_ << std::flush;
        return;
    case DiagnosticFormat::human:
        for (const auto& d : diagnostics.items())
            if (d.severity == Severity::error || verbosity_ != Verbosity::quiet) err_ << format_human(d, texts);
        err_ << std::flush;
        return;
    }
}

void Console::fatal(const std::string& message) {
    Diagnostics one;
    one.error("", 0, 0, "", message);
    switch (format_) {
    case DiagnosticFormat::json: out_ << format_json(one) << std::flush; break;
    case DiagnosticFormat::github: out_ << format_github(one.items().front()) << std::endl; break;
    case DiagnosticFormat::human: break;
    }
    err_ << "gongkai: error: " << message << std::endl;
}

void Console::note(std::string_view text) {
    if (verbosity_ != Verbosity::quiet) err_ << "gongkai: " << text << std::endl;
}

void Console::detail(std::string_view text) {
    if (verbosity_ == Verbosity::verbose) err_ << "gongkai: " << text << std::endl;
}

void Console::error_summary(const Diagnostics& diagnostics, std::string_view consequence) {
    err_ << "gongkai: " << diagnostics.error_count() << " error(s)";
    if (diagnostics.warning_count() && verbosity_ != Verbosity::quiet)
        err_ << ", " << diagnostics.warning_count() << " warning(s)";
    err_ << "; " << consequence << std::endl;
}

}  // namespace gongkai
