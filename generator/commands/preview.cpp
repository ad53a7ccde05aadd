#include "commands/preview.h"

#include <algorithm>
#include <cctype>

#include "html.h"
#include "paths.h"

namespace gongkai {

namespace {

std::string reload_script(std::uint64_t generation) {
    return "<script>/* gongkai serve: reloads this page when the site is rebuilt */\n"
           "(function () {\n"
           "  var events = new EventSource(\"" + std::string(reload_events_path) + "?since=" +
           std::to_string(generation) + "\");\n"
           "  events.addEventListener(\"reload\", function () { events.close(); location.reload(); });\n"
           "})();\n</script>\n";
}

}  // namespace

std::string with_reload_script(std::string html, std::uint64_t generation) {
    std::string lower = html;
    std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char c) { return std::tolower(c); });
    auto at = lower.rfind("</body>");
    html.insert(at == std::string::npos ? html.size() : at, reload_script(generation));
    return html;
}

std::string error_page(const std::string& diagnostics_text, const std::string& language, std::uint64_t generation) {
    bool zh = language.starts_with("zh");
    std::string title = zh ? "网站未能生成" : "The site could not be built";
    std::string lead = zh ? "请修改下列问题并保存文件；改好后此页会自动刷新。"
                          : "Fix these problems and save the file: this page reloads by itself when the site builds.";
    std::string page = "<!doctype html>\n<html lang=\"" + escape_html(language.empty() ? "en" : language) +
                       "\">\n<head>\n<meta charset=\"utf-8\">\n<title>gongkai: " + escape_html(title) +
                       "</title>\n<style>\n"
                       "body { font: 1rem/1.5 system-ui, \"PingFang SC\", \"Microsoft YaHei\", \"Noto Sans CJK SC\", "
                       "sans-serif; margin: 2rem auto; max-width: 60rem; padding: 0 1rem; color: #0b0c0c; }\n"
                       "h1 { border-left: 0.4rem solid #d4351c; padding-left: 0.8rem; }\n"
                       "pre { background: #f3f2f1; padding: 1rem; overflow-x: auto; white-space: pre; "
                       "font: 0.95rem/1.5 ui-monospace, \"Noto Sans Mono CJK SC\", monospace; }\n"
                       "</style>\n</head>\n<body>\n<main>\n<h1>" + escape_html(title) + "</h1>\n<p>" + escape_html(lead) +
                       "</p>\n<pre>" + escape_html(diagnostics_text) + "</pre>\n</main>\n</body>\n</html>\n";
    return with_reload_script(std::move(page), generation);
}

std::optional<std::string> site_file_for(std::string_view url_path) {
    if (url_path.empty() || url_path.front() != '/') return std::nullopt;
    std::string rel(url_path.substr(1));
    if (rel.empty() || rel.back() == '/') rel += "index.html";
    if (!is_safe_relative_path(rel)) return std::nullopt;
    return rel;
}

std::string content_type_for(std::string_view path) {
    static const std::pair<std::string_view, std::string_view> types[] = {
        {".html", "text/html; charset=utf-8"}, {".css", "text/css; charset=utf-8"},
        {".js", "text/javascript; charset=utf-8"}, {".svg", "image/svg+xml"},
        {".json", "application/json"}, {".csv", "text/csv; charset=utf-8"},
        {".xml", "application/xml"}, {".atom", "application/atom+xml"},
        {".txt", "text/plain; charset=utf-8"}, {".png", "image/png"},
        {".jpg", "image/jpeg"}, {".jpeg", "image/jpeg"}, {".gif", "image/gif"},
        {".webp", "image/webp"}, {".ico", "image/x-icon"}, {".woff2", "font/woff2"},
        {".woff", "font/woff"}, {".pdf", "application/pdf"}};
    for (const auto& [ext, type] : types)
        if (path.ends_with(ext)) return std::string(type);
    return "application/octet-stream";
}

}  // namespace gongkai
