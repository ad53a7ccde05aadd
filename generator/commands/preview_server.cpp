#include "commands/preview_server.h"

#include <httplib.h>

#include <chrono>
#include <condition_variable>
#include <fstream>
#include <mutex>
#include <sstream>
#include <thread>

#include "commands/preview.h"

namespace gongkai {

namespace fs = std::filesystem;

struct PreviewServer::State {
    fs::path site;
    httplib::Server http;
    std::thread listener;
    // What the request threads read and publish() writes.
    std::mutex mutex;
    std::condition_variable changed;
    std::uint64_t generation = 0;  // counts builds; pages reload when it moves past theirs
    std::string error_page;        // the failed build's page; "" after a good build
    bool stopping = false;
};

namespace {

std::optional<std::string> read_file(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) return std::nullopt;
    std::ostringstream s;
    s << in.rdbuf();
    return std::move(s).str();
}

void serve_file(const fs::path& site, const httplib::Request& req, httplib::Response& res, std::uint64_t generation,
                const std::string& error) {
    res.set_header("Cache-Control", "no-store");
    auto rel = site_file_for(req.path);
    if (!rel) {
        res.status = 400;
        res.set_content("bad path\n", "text/plain; charset=utf-8");
        return;
    }
    std::error_code ec;
    if (!req.path.ends_with("/") && fs::is_directory(site / *rel, ec)) {
        res.set_redirect(req.path + "/", 301);
        return;
    }
    bool page = rel->ends_with(".html");
    if (page && !error.empty()) {
        res.status = 500;
        res.set_content(error, "text/html; charset=utf-8");
        return;
    }
    auto bytes = read_file(site / *rel);
    if (!bytes || fs::is_directory(site / *rel, ec)) {
        res.status = 404;
        if (auto missing = read_file(site / "404.html"))
            res.set_content(with_reload_script(*missing, generation), "text/html; charset=utf-8");
        else
            res.set_content("not found\n", "text/plain; charset=utf-8");
        return;
    }
    if (page) *bytes = with_reload_script(std::move(*bytes), generation);
    res.set_content(*bytes, content_type_for(*rel));
}

}  // namespace

PreviewServer::PreviewServer(fs::path site) : state_(std::make_unique<State>()) {
    State& s = *state_;
    s.site = std::move(site);
    s.http.new_task_queue = [] { return new httplib::ThreadPool(32); };  // each open tab holds one for its events
    s.http.set_keep_alive_timeout(1);
    // httplib's default adds SO_REUSEPORT, with which a second serve on the same port would quietly
    // share it; SO_REUSEADDR alone still lets a stopped preview restart at once.
    s.http.set_socket_options([](socket_t sock) {
        int yes = 1;
        ::setsockopt(sock, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
    });
    // Sends "reload" once the site has been rebuilt after the page's build, and a comment every
    // few seconds so that a closed tab is noticed and its thread freed.
    s.http.Get(reload_events_path, [&s](const httplib::Request& req, httplib::Response& res) {
        std::uint64_t since = 0;
        try {
            since = std::stoull(req.get_param_value("since"));
        } catch (const std::exception&) {
        }
        res.set_header("Cache-Control", "no-store");
        res.set_chunked_content_provider("text/event-stream", [&s, since](std::size_t offset,
                                                                          httplib::DataSink& sink) mutable {
            if (offset == 0 && !sink.write("retry: 1000\n\n", 13)) return false;
            std::unique_lock lock(s.mutex);
            bool news = s.changed.wait_for(lock, std::chrono::seconds(5),
                                           [&] { return s.stopping || s.generation != since; });
            if (s.stopping) {
                lock.unlock();
                sink.done();
                return true;
            }
            std::string message = news ? "event: reload\ndata: " + std::to_string(s.generation) + "\n\n" : ": ping\n\n";
            since = s.generation;
            lock.unlock();
            return sink.write(message.data(), message.size());
        });
    });
    s.http.Get(".*", [&s](const httplib::Request& req, httplib::Response& res) {
        std::uint64_t generation;
        std::string error;
        {
            std::lock_guard lock(s.mutex);
            generation = s.generation;
            error = s.error_page;
        }
        serve_file(s.site, req, res, generation, error);
    });
}

PreviewServer::~PreviewServer() { stop(); }

int PreviewServer::bind(const std::string& host, int port) {
    if (port == 0) return std::max(state_->http.bind_to_any_port(host), 0);
    return state_->http.bind_to_port(host, port) ? port : 0;
}

void PreviewServer::start() {
    state_->listener = std::thread([this] { state_->http.listen_after_bind(); });
}

std::uint64_t PreviewServer::next_generation() const {
    std::lock_guard lock(state_->mutex);
    return state_->generation + 1;
}

void PreviewServer::publish(std::string error_page) {
    {
        std::lock_guard lock(state_->mutex);
        state_->error_page = std::move(error_page);
        ++state_->generation;
    }
    state_->changed.notify_all();
}

void PreviewServer::stop() {
    {
        std::lock_guard lock(state_->mutex);
        state_->stopping = true;
    }
    state_->changed.notify_all();
    state_->http.stop();
    if (state_->listener.joinable()) state_->listener.join();
}

}  // namespace gongkai
