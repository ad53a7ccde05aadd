#include "diagnostics.h"

#include <algorithm>
#include <tuple>

namespace gongkai {

void Diagnostics::error(std::string path, std::size_t line, std::size_t column, std::string key, std::string message) {
    items_.push_back({Severity::error, std::move(path), line, column, std::move(key), std::move(message)});
}

void Diagnostics::warning(std::string path, std::size_t line, std::size_t column, std::string key, std::string message) {
    items_.push_back({Severity::warning, std::move(path), line, column, std::move(key), std::move(message)});
}

void Diagnostics::append(const Diagnostics& other) {
    items_.insert(items_.end(), other.items_.begin(), other.items_.end());
}

bool Diagnostics::has_errors() const { return error_count() > 0; }

std::size_t Diagnostics::error_count() const {
    return std::count_if(items_.begin(), items_.end(), [](const Diagnostic& d) { return d.severity == Severity::error; });
}

std::size_t Diagnostics::warning_count() const { return items_.size() - error_count(); }

void Diagnostics::sort() {
    std::stable_sort(items_.begin(), items_.end(), [](const Diagnostic& a, const Diagnostic& b) {
        return std::tie(a.path, a.line, a.column) < std::tie(b.path, b.line, b.column);
    });
}

std::string format(const Diagnostic& d) {
    std::string out = d.path.empty() ? std::string("gongkai") : d.path;
    if (d.line > 0) {
        out += ':' + std::to_string(d.line);
        if (d.column > 0) out += ':' + std::to_string(d.column);
    }
    out += d.severity == Severity::error ? ": error: " : ": warning: ";
    if (!d.key.empty()) out += d.key + ": ";
    out += d.message;
    return out;
}

void print(std::ostream& out, const Diagnostics& diagnostics) {
    for (const auto& d : diagnostics.items()) out << format(d) << '\n';
}

}  // namespace gongkai
