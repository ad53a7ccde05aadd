#include "charts.h"

#include <algorithm>

#include "html.h"

namespace gongkai {

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
    out += format_number(v);
    out += "\" height=\"10\" fill=\"#1f5f99\"/>";
    // Quarter marks, so the length can be read without relying on colour.
    for (int x : {25, 50, 75})
        out += "<rect class=\"gk-bar-tick\" x=\"" + std::to_string(x) + "\" y=\"0\" width=\"0.6\" height=\"10\" fill=\"#ffffff\"/>";
    out += "</svg>";
    return out;
}

}  // namespace gongkai
