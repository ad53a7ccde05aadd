#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace gongkai {

// What `gongkai serve` adds to the site it previews. None of it is ever part of a built site.

// Where open pages listen for rebuilds (server-sent events).
inline constexpr const char* reload_events_path = "/__gongkai/events";

// The page with a small script before </body> that reloads it when the site is rebuilt after
// generation (the build the page came from).
std::string with_reload_script(std::string html, std::uint64_t generation);

// A page that lists a failed build's diagnostics (already formatted, escaped here) in the site's
// language, and reloads like the others once the content is fixed.
std::string error_page(const std::string& diagnostics_text, const std::string& language, std::uint64_t generation);

// The file of the site that a request's (decoded) path names: "/" -> "index.html",
// "/projects/a/" -> "projects/a/index.html". Nothing for a path that could leave the site.
std::optional<std::string> site_file_for(std::string_view url_path);

// The Content-Type for a file of the site, by its extension.
std::string content_type_for(std::string_view path);

}  // namespace gongkai
