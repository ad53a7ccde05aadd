#include "cache/serial.h"

namespace gongkai {

namespace {

void write(BinaryWriter& w, const Date& d) {
    w.i64(d.year);
    w.i64(d.month);
    w.i64(d.day);
}

void read(BinaryReader& r, Date& d) {
    d.year = static_cast<int>(r.i64());
    d.month = static_cast<int>(r.i64());
    d.day = static_cast<int>(r.i64());
}

void write(BinaryWriter& w, const std::vector<Contact>& contacts) {
    w.u64(contacts.size());
    for (const auto& c : contacts) {
        w.str(c.name);
        w.str(c.role);
        w.str(c.phone);
        w.str(c.email);
    }
}

void read(BinaryReader& r, std::vector<Contact>& contacts) {
    contacts.resize(r.count(32));
    for (auto& c : contacts) {
        c.name = r.str();
        c.role = r.str();
        c.phone = r.str();
        c.email = r.str();
    }
}

void write(BinaryWriter& w, const std::vector<Goal>& goals) {
    w.u64(goals.size());
    for (const auto& g : goals) {
        w.str(g.id);
        w.str(g.title);
        write(w, g.goals);
    }
}

// Goals nest as deep as the project's TOML did, which the parser bounds; the cache is bounded
// again here so a damaged file cannot recurse without end.
void read(BinaryReader& r, std::vector<Goal>& goals, int depth = 0) {
    if (depth > 64) throw CacheError("goals nest too deep");
    goals.resize(r.count(24));
    for (auto& g : goals) {
        g.id = r.str();
        g.title = r.str();
        read(r, g.goals, depth + 1);
    }
}

template <class T>
void write_opt(BinaryWriter& w, const std::optional<T>& v) {
    w.flag(v.has_value());
    if (!v) return;
    if constexpr (std::is_same_v<T, double>)
        w.f64(*v);
    else
        w.flag(*v);
}

void write(BinaryWriter& w, const Revision& rev) {
    w.str(rev.commit);
    w.i64(rev.time);
    w.i64(rev.offset);
    w.str(rev.summary);
    w.u64(rev.changes.size());
    for (const auto& c : rev.changes) {
        w.str(c.key);
        w.str(c.before);
        w.str(c.after);
    }
    w.flag(rev.body_changed);
}

void read(BinaryReader& r, Revision& rev) {
    rev.commit = r.str();
    rev.time = r.i64();
    rev.offset = static_cast<int>(r.i64());
    rev.summary = r.str();
    rev.changes.resize(r.count(24));
    for (auto& c : rev.changes) {
        c.key = r.str();
        c.before = r.str();
        c.after = r.str();
    }
    rev.body_changed = r.flag();
}

}  // namespace

void write(BinaryWriter& w, const Department& d) {
    w.str(d.id);
    w.str(d.path);
    w.str(d.name);
    w.str(d.short_name);
    w.str(d.description);
    w.str(d.url);
    write(w, d.contacts);
    w.flag(d.sample_data);
}

void read(BinaryReader& r, Department& d) {
    d.id = r.str();
    d.path = r.str();
    d.name = r.str();
    d.short_name = r.str();
    d.description = r.str();
    d.url = r.str();
    read(r, d.contacts);
    d.sample_data = r.flag();
}

void write(BinaryWriter& w, const Project& p) {
    w.str(p.id);
    w.str(p.path);
    w.str(p.title);
    w.i64(p.year);
    w.str(p.number);
    w.str(p.department);
    w.u64(p.department_line);
    w.u64(p.co_departments.size());
    for (const auto& c : p.co_departments) w.str(c);
    w.u64(p.co_departments_line);
    w.str(p.official);
    w.str(p.target);
    write(w, p.start);
    write(w, p.end);
    write(w, p.goals);
    w.u64(p.milestones.size());
    for (const auto& m : p.milestones) {
        write(w, m.date);
        w.f64(m.expected);
    }
    w.str(p.body);
    w.u64(p.body_line);
    w.flag(p.sample_data);
}

void read(BinaryReader& r, Project& p) {
    p.id = r.str();
    p.path = r.str();
    p.title = r.str();
    p.year = static_cast<int>(r.i64());
    p.number = r.str();
    p.department = r.str();
    p.department_line = r.u64();
    p.co_departments.resize(r.count(8));
    for (auto& c : p.co_departments) c = r.str();
    p.co_departments_line = r.u64();
    p.official = r.str();
    p.target = r.str();
    read(r, p.start);
    read(r, p.end);
    read(r, p.goals);
    p.milestones.resize(r.count(32));
    for (auto& m : p.milestones) {
        read(r, m.date);
        m.expected = r.f64();
    }
    p.body = r.str();
    p.body_line = r.u64();
    p.sample_data = r.flag();
}

void write(BinaryWriter& w, const Report& rep, bool with_body) {
    w.str(rep.id);
    w.str(rep.project);
    w.str(rep.path);
    w.str(rep.title);
    write(w, rep.period_start);
    write(w, rep.period_end);
    w.u64(rep.period_end_line);
    write(w, rep.date);
    write_opt(w, rep.completion);
    write_opt(w, rep.on_schedule);
    w.str(rep.addressee);
    w.str(rep.signed_by);
    w.flag(rep.leader_signature);
    write(w, rep.contacts);
    w.u64(rep.goal_completion.size());
    for (const auto& g : rep.goal_completion) {
        w.str(g.goal_id);
        w.f64(g.completion);
        w.u64(g.line);
    }
    if (with_body) w.str(rep.body);
    w.u64(rep.body_line);
    w.flag(rep.sample_data);
}

void read(BinaryReader& r, Report& rep, bool with_body) {
    rep.id = r.str();
    rep.project = r.str();
    rep.path = r.str();
    rep.title = r.str();
    read(r, rep.period_start);
    read(r, rep.period_end);
    rep.period_end_line = r.u64();
    read(r, rep.date);
    if (r.flag()) rep.completion = r.f64();
    if (r.flag()) rep.on_schedule = r.flag();
    rep.addressee = r.str();
    rep.signed_by = r.str();
    rep.leader_signature = r.flag();
    read(r, rep.contacts);
    rep.goal_completion.resize(r.count(24));
    for (auto& g : rep.goal_completion) {
        g.goal_id = r.str();
        g.completion = r.f64();
        g.line = r.u64();
    }
    if (with_body)
        rep.body = r.str();
    else
        rep.body_unread = true;
    rep.body_line = r.u64();
    rep.sample_data = r.flag();
}

void write(BinaryWriter& w, const History& h) {
    w.flag(h.shallow);
    w.u64(h.files.size());
    for (const auto& [path, fh] : h.files) {
        w.str(path);
        w.flag(fh.published.has_value());
        if (fh.published) write(w, *fh.published);
        w.u64(fh.amendments.size());
        for (const auto& a : fh.amendments) write(w, a);
        w.flag(fh.truncated);
    }
}

void read(BinaryReader& r, History& h) {
    h.shallow = r.flag();
    std::size_t n = r.count(24);
    h.files.reserve(n);
    for (std::size_t i = 0; i < n; ++i) {
        std::string path = r.str();
        FileHistory fh;
        if (r.flag()) read(r, fh.published.emplace());
        fh.amendments.resize(r.count(48));
        for (auto& a : fh.amendments) read(r, a);
        fh.truncated = r.flag();
        h.files.emplace(std::move(path), std::move(fh));
    }
}

void write(BinaryWriter& w, const std::vector<Section>& sections) {
    w.u64(sections.size());
    for (const auto& s : sections) {
        w.str(s.id);
        w.str(s.title);
    }
}

void read(BinaryReader& r, std::vector<Section>& sections) {
    sections.resize(r.count(16));
    for (auto& s : sections) {
        s.id = r.str();
        s.title = r.str();
    }
}

}  // namespace gongkai
