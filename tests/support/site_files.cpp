#include "site_files.h"

#include <algorithm>
#include <catch2/catch.hpp>

namespace gongkai::test {

namespace {

std::string bulleted(const std::vector<std::string>& items) {
    std::string out;
    for (const auto& i : items) out += "  " + i + "\n";
    return out;
}

bool contains(const std::string& name, const std::string& page, const std::string& text) {
    if (page.find(text) != std::string::npos) return true;
    UNSCOPED_INFO("page " << name << " does not contain \"" << text << "\"");
    return false;
}

bool lacks(const std::string& name, const std::string& page, const std::string& text) {
    auto at = page.find(text);
    if (at == std::string::npos) return true;
    std::size_t from = at > 80 ? at - 80 : 0;
    UNSCOPED_INFO("page " << name << " contains \"" << text << "\", which it must not:\n…"
                          << page.substr(from, text.size() + 160) << "…");
    return false;
}

bool has_page(const SiteFiles& site, const std::string& path) {
    if (site.files().contains(path)) return true;
    std::vector<std::string> all;
    for (const auto& [p, bytes] : site.files()) all.push_back(p);
    UNSCOPED_INFO("the site has no page " << path << "; it holds:\n" << bulleted(all));
    return false;
}

}  // namespace

bool file_exists(const fs::path& dir, const std::string& path) {
    if (fs::is_regular_file(dir / path)) return true;
    UNSCOPED_INFO("the site in " << dir.string() << " has no page " << path << "; it holds:\n"
                                 << bulleted(list_files(dir)));
    return false;
}

bool file_contains(const fs::path& dir, const std::string& path, const std::string& text) {
    return file_exists(dir, path) && contains(path, read_file(dir / path), text);
}

bool file_lacks(const fs::path& dir, const std::string& path, const std::string& text) {
    return file_exists(dir, path) && lacks(path, read_file(dir / path), text);
}

bool page_contains(const SiteFiles& site, const std::string& path, const std::string& text) {
    return has_page(site, path) && contains(path, site.files().at(path), text);
}

bool page_lacks(const SiteFiles& site, const std::string& path, const std::string& text) {
    return has_page(site, path) && lacks(path, site.files().at(path), text);
}

std::vector<std::string> list_files(const fs::path& dir) {
    std::vector<std::string> out;
    std::error_code ec;
    if (!fs::is_directory(dir, ec)) return out;
    for (auto it = fs::recursive_directory_iterator(dir, ec); !ec && it != fs::recursive_directory_iterator();
         it.increment(ec))
        if (it->is_regular_file()) out.push_back(fs::relative(it->path(), dir).generic_string());
    std::sort(out.begin(), out.end());
    return out;
}

Files read_tree(const fs::path& dir) {
    Files out;
    for (const auto& f : list_files(dir)) out[f] = read_file(dir / f);
    return out;
}

std::vector<std::string> differences(const fs::path& a, const fs::path& b) {
    Files left = read_tree(a), right = read_tree(b);
    std::vector<std::string> out;
    for (const auto& [path, bytes] : left) {
        auto it = right.find(path);
        if (it == right.end())
            out.push_back("only in " + a.string() + ": " + path);
        else if (it->second != bytes)
            out.push_back("differs: " + path);
    }
    for (const auto& [path, bytes] : right)
        if (!left.contains(path)) out.push_back("only in " + b.string() + ": " + path);
    return out;
}

std::string squeezed(const std::string& s) {
    std::string out;
    bool space = false;
    for (char c : s) {
        if (c == ' ' || c == '\n' || c == '\t' || c == '\r') {
            space = true;
            continue;
        }
        if (space && !out.empty()) out += ' ';
        space = false;
        out += c;
    }
    return out;
}

bool says(const fs::path& site, const std::string& page, const std::string& text) {
    if (!file_exists(site, page)) return false;
    if (squeezed(read_file(site / page)).find(squeezed(text)) != std::string::npos) return true;
    UNSCOPED_INFO("page " << page << " does not say \"" << text << "\"");
    return false;
}

bool never_says(const fs::path& site, const std::string& page, const std::string& text) {
    if (!file_exists(site, page)) return false;
    std::string body = squeezed(read_file(site / page));
    auto at = body.find(squeezed(text));
    if (at == std::string::npos) return true;
    UNSCOPED_INFO("page " << page << " says \"" << text << "\", which it must not:\n…"
                          << body.substr(at > 120 ? at - 120 : 0, text.size() + 240) << "…");
    return false;
}

}  // namespace gongkai::test
