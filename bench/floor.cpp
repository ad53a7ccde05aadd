// The floor a static site generator cannot beat on a corpus: the CPU time cmark-gfm alone takes to
// render every report body (with the extensions and options gongkai uses), plus the CPU time to
// write as many files of the same total size. Prints both in seconds.
//
// Usage: gongkai-floor REPORTS_DIR SCRATCH_DIR [FILES BYTES]
// With FILES and BYTES (a built site's count of files and total size), it also prints the CPU
// time to write that many files of that total size: the floor for writing the whole site, whose
// pages carry more than the report bodies.
#include <sys/resource.h>

#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

#include "markdown.h"

namespace fs = std::filesystem;

static double cpu_seconds() {
    rusage u{};
    getrusage(RUSAGE_SELF, &u);
    return static_cast<double>(u.ru_utime.tv_sec + u.ru_stime.tv_sec) +
           static_cast<double>(u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6;
}

int main(int argc, char** argv) {
    if (argc != 3 && argc != 5) {
        std::cerr << "usage: gongkai-floor REPORTS_DIR SCRATCH_DIR [FILES BYTES]\n";
        return 2;
    }
    std::vector<std::string> bodies;
    for (const auto& entry : fs::recursive_directory_iterator(argv[1])) {
        if (!entry.is_regular_file() || entry.path().extension() != ".md") continue;
        std::ifstream in(entry.path(), std::ios::binary);
        std::stringstream s;
        s << in.rdbuf();
        std::string text = s.str();
        auto close = text.find("\n+++\n", 3);  // the body, after the front matter
        bodies.push_back(close == std::string::npos ? text : text.substr(close + 5));
    }
    double start = cpu_seconds();
    std::size_t bytes = 0;
    std::vector<std::string> html;
    html.reserve(bodies.size());
    for (const auto& b : bodies) {
        html.push_back(gongkai::render_markdown(b).html);
        bytes += html.back().size();
    }
    double render = cpu_seconds() - start;

    fs::create_directories(argv[2]);
    start = cpu_seconds();
    for (std::size_t i = 0; i < html.size(); ++i) {
        fs::path dir = fs::path(argv[2]) / std::to_string(i / 1000) / std::to_string(i);
        fs::create_directories(dir);
        std::ofstream out(dir / "index.html", std::ios::binary);
        out << html[i];
    }
    double write = cpu_seconds() - start;
    fs::remove_all(argv[2]);
    std::cout << "bodies " << bodies.size() << " html_bytes " << bytes << " render_cpu " << render << " write_cpu "
              << write;
    if (argc == 5) {
        std::size_t files = std::stoul(argv[3]);
        std::size_t total = std::stoul(argv[4]);
        std::string page(files ? total / files : 0, 'x');
        start = cpu_seconds();
        for (std::size_t i = 0; i < files; ++i) {
            fs::path dir = fs::path(argv[2]) / std::to_string(i / 1000) / std::to_string(i);
            fs::create_directories(dir);
            std::ofstream out(dir / "index.html", std::ios::binary);
            out << page;
        }
        std::cout << " site_write_cpu " << cpu_seconds() - start;
        fs::remove_all(argv[2]);
    }
    std::cout << "\n";
    return 0;
}
