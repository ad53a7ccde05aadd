#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>

namespace gongkai {

// The HTTP side of `gongkai serve`: serves the site folder, adds the reload script to its pages,
// sends reload events to open pages, and serves a failed build's error page in place of pages.
class PreviewServer {
public:
    explicit PreviewServer(std::filesystem::path site);
    ~PreviewServer();  // stops serving
    PreviewServer(const PreviewServer&) = delete;
    PreviewServer& operator=(const PreviewServer&) = delete;

    // Takes the address; returns the port (the one chosen for port 0), or 0 when it is taken.
    int bind(const std::string& host, int port);
    // Serves on threads of its own until stop().
    void start();
    // The generation of the build that publish() will announce next (pages carry it).
    std::uint64_t next_generation() const;
    // A build finished: an error page ("" for a good build) and a reload for every open page.
    void publish(std::string error_page);
    // Ends open event streams and stops serving; returns when every thread is done.
    void stop();

private:
    struct State;
    std::unique_ptr<State> state_;
};

}  // namespace gongkai
