#include "templates.h"

#include <array>
#include <algorithm>

namespace gongkai {

namespace {
constexpr std::array<const char*, 6> page_names = {"index", "departments", "department", "project", "report", "404"};
}

bool Templates::is_page(const std::string& name) {
    return std::find(page_names.begin(), page_names.end(), name) != page_names.end();
}

Templates::Templates(const std::map<std::string, std::string>& theme, const std::string& theme_origin,
                     const std::map<std::string, std::string>& overrides, const std::string& override_origin,
                     Diagnostics& diagnostics) {
    std::map<std::string, std::string> origin;
    for (const auto& [name, text] : theme) {
        sources_[name] = text;
        origin[name] = theme_origin + "/" + name + ".mustache";
    }
    for (const auto& [name, text] : overrides) {
        sources_[name] = text;
        origin[name] = override_origin + "/" + name + ".mustache";
    }
    for (const auto& [name, text] : sources_) {
        auto tmpl = std::make_unique<mustache::mustache>(text);
        if (!tmpl->is_valid()) {
            diagnostics.error(origin[name], 0, 0, "", "template error: " + tmpl->error_message());
            continue;
        }
        if (is_page(name)) pages_.emplace(name, std::move(tmpl));
    }
    for (const char* name : page_names) {
        if (!sources_.contains(name))
            diagnostics.error(theme_origin + "/" + name + ".mustache", 0, 0, "", "the theme lacks this page template");
    }
}

std::string Templates::render(const std::string& name, mustache::data& data) const {
    auto it = pages_.find(name);
    if (it == pages_.end()) return {};
    for (const auto& [partial_name, text] : sources_) {
        if (is_page(partial_name)) continue;
        const std::string* source = &text;
        data.set(partial_name, mustache::partial([source] { return *source; }));
    }
    return it->second->render(data);
}

}  // namespace gongkai
