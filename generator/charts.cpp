#include "charts.h"

#include <algorithm>
#include <cmath>

#include "html.h"

namespace gongkai {

namespace {

constexpr const char* font_stack =
    "system-ui, -apple-system, &quot;PingFang SC&quot;, &quot;Microsoft YaHei&quot;, &quot;Noto Sans CJK SC&quot;, "
    "&quot;Source Han Sans SC&quot;, sans-serif";
constexpr const char* ink = "#0b0c0c";
constexpr const char* muted = "#505a5f";
constexpr const char* grid = "#b1b4b6";
constexpr const char* fill = "#1d5b8f";
constexpr const char* warn = "#b3261e";

std::string num(double v) { return format_number(v); }

std::string open_svg(const std::string& id, double width, double height, const std::string& title,
                     const std::string& description) {
    std::string out = "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"gk-chart\" id=\"" + escape_html(id) +
                      "\" viewBox=\"0 0 " + num(width) + " " + num(height) + "\" width=\"" + num(width) +
                      "\" height=\"" + num(height) + "\" role=\"img\" aria-labelledby=\"" + escape_html(id) +
                      "-title " + escape_html(id) + "-desc\" font-family=\"" + font_stack + "\" font-size=\"13\">";
    out += "<title id=\"" + escape_html(id) + "-title\">" + escape_html(title) + "</title>";
    out += "<desc id=\"" + escape_html(id) + "-desc\">" + escape_html(description) + "</desc>";
    out += "<rect width=\"100%\" height=\"100%\" fill=\"#ffffff\"/>";
    return out;
}

std::string text(double x, double y, const std::string& s, const char* anchor = "start", const char* color = ink,
                 const char* extra = "") {
    return "<text x=\"" + num(x) + "\" y=\"" + num(y) + "\" text-anchor=\"" + anchor + "\" fill=\"" + color + "\"" +
           extra + ">" + escape_html(s) + "</text>";
}

std::size_t utf8_length(unsigned char lead) {
    if (lead < 0x80) return 1;
    if ((lead >> 5) == 0x6) return 2;
    if ((lead >> 4) == 0xE) return 3;
    if ((lead >> 3) == 0x1E) return 4;
    return 1;
}

}  // namespace

std::string completion_bar(double percent, const std::string& label) {
    double v = std::clamp(percent, 0.0, 100.0);
    std::string name = escape_html(label);
    std::string out;
    out.reserve(400);
    out += "<svg class=\"gk-bar\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 100 10\" "
           "preserveAspectRatio=\"none\" role=\"img\" aria-label=\"";
    out += name;
    out += "\"><title>";
    out += name;
    out += "</title><rect class=\"gk-bar-track\" x=\"0\" y=\"0\" width=\"100\" height=\"10\" fill=\"#dde3ea\"/>";
    out += "<rect class=\"gk-bar-fill\" x=\"0\" y=\"0\" width=\"";
    out += num(v);
    out += "\" height=\"10\" fill=\"#1f5f99\"/>";
    // Quarter marks, so the length can be read without relying on colour.
    for (int x : {25, 50, 75})
        out += "<rect class=\"gk-bar-tick\" x=\"" + std::to_string(x) +
               "\" y=\"0\" width=\"0.6\" height=\"10\" fill=\"#ffffff\"/>";
    out += "</svg>";
    return out;
}

std::string fit_label(const std::string& s, double max_em) {
    double width = 0;
    std::size_t i = 0;
    while (i < s.size()) {
        std::size_t len = std::min(utf8_length(static_cast<unsigned char>(s[i])), s.size() - i);
        double w = len == 1 ? 0.55 : 1.0;
        if (width + w > max_em) return s.substr(0, i) + "…";
        width += w;
        i += len;
    }
    return s;
}

std::string line_chart(const LineChart& c) {
    const double W = 640, H = 300;
    const double left = 52, right = 20, top = 44, bottom = 40;
    const double pw = W - left - right, ph = H - top - bottom;
    const double x0 = static_cast<double>(c.from.days());
    const double x1 = std::max(static_cast<double>(c.to.days() + 1), x0 + 1);
    auto sx = [&](const Date& d) { return left + pw * std::clamp((d.days() + 1 - x0) / (x1 - x0), 0.0, 1.0); };
    auto sy = [&](double v) { return top + ph * (1 - std::clamp(v, 0.0, 100.0) / 100.0); };

    std::string out = open_svg(c.id, W, H, c.title, c.description);
    // Legend: a solid line with dots for the reports, a dashed line for expected progress.
    out += "<g class=\"gk-legend\">";
    out += "<line x1=\"" + num(left) + "\" y1=\"16\" x2=\"" + num(left + 28) + "\" y2=\"16\" stroke=\"" + fill +
           "\" stroke-width=\"3\"/><circle cx=\"" + num(left + 14) + "\" cy=\"16\" r=\"4\" fill=\"" + fill + "\"/>";
    out += text(left + 36, 20, c.actual_name);
    out += "<line x1=\"" + num(left + 220) + "\" y1=\"16\" x2=\"" + num(left + 248) + "\" y2=\"16\" stroke=\"" +
           muted + "\" stroke-width=\"2\" stroke-dasharray=\"6 4\"/>";
    out += text(left + 256, 20, c.expected_name);
    out += "</g>";
    // Gridlines and y labels.
    for (int v = 0; v <= 100; v += 25) {
        double y = sy(v);
        out += "<line x1=\"" + num(left) + "\" y1=\"" + num(y) + "\" x2=\"" + num(W - right) + "\" y2=\"" + num(y) +
               "\" stroke=\"" + grid + "\" stroke-width=\"" + (v == 0 ? "1.5" : "0.75") + "\"/>";
        out += text(left - 8, y + 4, std::to_string(v) + "%", "end", muted);
    }
    // X ticks at the start of each month, labelled where there is room.
    std::int64_t span_days = c.to.days() - c.from.days() + 1;
    int every = span_days > 800 ? 6 : span_days > 400 ? 3 : 1;
    Date d{c.from.year, c.from.month, 1};
    int index = 0;
    while (!(c.to < d)) {
        if (!(d < c.from) && index % every == 0) {
            double x = sx(Date::from_days(d.days() - 1));
            out += "<line x1=\"" + num(x) + "\" y1=\"" + num(top + ph) + "\" x2=\"" + num(x) + "\" y2=\"" +
                   num(top + ph + 5) + "\" stroke=\"" + muted + "\"/>";
            std::string label = d.month == 1 || index == 0
                                    ? std::to_string(d.year) + (c.month_labels.size() == 12 ? " " + c.month_labels[0] : "")
                                    : (c.month_labels.size() == 12 ? c.month_labels[d.month - 1] : std::to_string(d.month));
            if (d.month != 1 && index == 0 && c.month_labels.size() == 12) label = c.month_labels[d.month - 1];
            out += text(x, top + ph + 20, label, "middle", muted);
        }
        ++index;
        d = d.month == 12 ? Date{d.year + 1, 1, 1} : Date{d.year, d.month + 1, 1};
    }
    // Expected progress.
    if (!c.expected.empty()) {
        out += "<polyline class=\"gk-expected\" fill=\"none\" stroke=\"" + std::string(muted) +
               "\" stroke-width=\"2\" stroke-dasharray=\"6 4\" points=\"";
        for (std::size_t i = 0; i < c.expected.size(); ++i)
            out += (i ? " " : "") + num(sx(c.expected[i].date)) + "," + num(sy(c.expected[i].value));
        out += "\"/>";
    }
    // Reported completion, each point labelled with its figure.
    if (!c.actual.empty()) {
        out += "<polyline class=\"gk-actual\" fill=\"none\" stroke=\"" + std::string(fill) +
               "\" stroke-width=\"3\" points=\"";
        for (std::size_t i = 0; i < c.actual.size(); ++i)
            out += (i ? " " : "") + num(sx(c.actual[i].date)) + "," + num(sy(c.actual[i].value));
        out += "\"/>";
        for (const auto& p : c.actual) {
            double x = sx(p.date), y = sy(p.value);
            out += "<circle cx=\"" + num(x) + "\" cy=\"" + num(y) + "\" r=\"5\" fill=\"" + fill +
                   "\" stroke=\"#ffffff\" stroke-width=\"1.5\"/>";
            out += text(x, y - 10, p.value_label, x > W - right - 20 ? "end" : "middle", ink, " font-weight=\"bold\"");
        }
    }
    out += "</svg>";
    return out;
}

std::string bar_chart(const BarChart& c) {
    const double W = 640, row = 34, label_w = 210, right = 130, top = c.marker_name.empty() && c.flag_name.empty() ? 30 : 56;
    const double H = top + row * static_cast<double>(std::max<std::size_t>(c.items.size(), 1)) + 16;
    const double pw = W - label_w - right;
    const double max = c.max > 0 ? c.max : 1;
    auto sx = [&](double v) { return label_w + pw * std::clamp(v / max, 0.0, 1.0); };
    const std::string pattern = c.id + "-hatch";

    std::string out = open_svg(c.id, W, H, c.title, c.description);
    out += "<defs><pattern id=\"" + escape_html(pattern) +
           "\" width=\"8\" height=\"8\" patternUnits=\"userSpaceOnUse\" patternTransform=\"rotate(45)\">"
           "<rect width=\"8\" height=\"8\" fill=\"" + warn + "\"/><rect width=\"3\" height=\"8\" fill=\"#ffffff\"/></pattern></defs>";
    if (!c.marker_name.empty() || !c.flag_name.empty()) {
        double x = label_w;
        if (!c.marker_name.empty()) {
            out += "<rect x=\"" + num(x) + "\" y=\"8\" width=\"3\" height=\"18\" fill=\"" + ink + "\"/>";
            out += text(x + 10, 22, c.marker_name);
            x += 150;
        }
        if (!c.flag_name.empty()) {
            out += "<rect x=\"" + num(x) + "\" y=\"10\" width=\"24\" height=\"14\" fill=\"url(#" + escape_html(pattern) + ")\"/>";
            out += text(x + 32, 22, c.flag_name);
        }
    }
    // Axis gridlines.
    const int steps = 4;
    for (int i = 0; i <= steps; ++i) {
        double v = max * i / steps;
        double x = sx(v);
        out += "<line x1=\"" + num(x) + "\" y1=\"" + num(top - 6) + "\" x2=\"" + num(x) + "\" y2=\"" +
               num(H - 14) + "\" stroke=\"" + grid + "\" stroke-width=\"0.75\"/>";
        std::string label = c.percent_axis ? num(v) + "%" : num(v);
        if (c.percent_axis || std::floor(v) == v) out += text(x, H - 2, label, "middle", muted);
    }
    double y = top;
    for (const auto& item : c.items) {
        out += "<g class=\"gk-row\">";
        // The label column holds (label_w - 8) / 13 ems at font size 13, less one for the "…".
        out += text(label_w - 8, y + row / 2 + 4, fit_label(item.label, (label_w - 8) / 13.0 - 1.0), "end");
        double w = sx(item.value) - label_w;
        out += "<rect x=\"" + num(label_w) + "\" y=\"" + num(y + 7) + "\" width=\"" + num(pw) + "\" height=\"" +
               num(row - 14) + "\" fill=\"#eef2f6\"/>";
        out += "<rect x=\"" + num(label_w) + "\" y=\"" + num(y + 7) + "\" width=\"" + num(std::max(w, 0.0)) +
               "\" height=\"" + num(row - 14) + "\" fill=\"" +
               (item.flagged ? "url(#" + escape_html(pattern) + ")" : std::string(fill)) + "\"/>";
        if (item.marker) {
            double mx = sx(*item.marker);
            out += "<rect x=\"" + num(mx - 1.5) + "\" y=\"" + num(y + 3) + "\" width=\"3\" height=\"" + num(row - 6) +
                   "\" fill=\"" + ink + "\"/>";
        }
        std::string value = item.value_label + (item.flagged && !item.flag_label.empty() ? " " + item.flag_label : "");
        value = fit_label(value, (right - 8) / 13.0 - 1.0);
        out += text(label_w + pw + 6, y + row / 2 + 4, value, "start", item.flagged ? warn : ink, " font-weight=\"bold\"");
        out += "</g>";
        y += row;
    }
    out += "</svg>";
    return out;
}

std::string standalone_svg(const std::string& svg) { return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n" + svg + "\n"; }

}  // namespace gongkai
