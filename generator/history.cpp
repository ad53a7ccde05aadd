#include "history.h"

#include <toml++/toml.h>

#include <algorithm>
#include <set>
#include <sstream>

#include "content/frontmatter.h"
#include "content/toml_reader.h"
#include "diagnostics.h"
#include "git/repository.h"
#include "utf8.h"

namespace gongkai {

namespace {

using git::check;
using git::CommitPtr;
using git::TreePtr;

// A tree below a commit's root, or nothing if the path is not a folder there.
TreePtr subtree(git_repository* repo, git_commit* commit, const std::string& path) {
    git_tree* root = nullptr;
    check(git_commit_tree(&root, commit), "cannot read a commit's tree");
    TreePtr root_ptr(root);
    if (path.empty()) return root_ptr;
    git_tree_entry* entry = nullptr;
    if (git_tree_entry_bypath(&entry, root, path.c_str()) < 0) return nullptr;
    git::TreeEntryPtr entry_ptr(entry);
    if (git_tree_entry_type(entry) != GIT_OBJECT_TREE) return nullptr;
    git_tree* sub = nullptr;
    check(git_tree_lookup(&sub, repo, git_tree_entry_id(entry)), "cannot read " + path);
    return TreePtr(sub);
}

struct Change {
    std::string path;
    std::optional<git_oid> before;
    std::optional<git_oid> after;
};

// Files that differ between two trees (either may be null), descending only into subtrees whose
// ids differ, so unchanged folders cost nothing. A tree's entries are sorted in git's order, so
// the two are walked side by side; an entry whose kind changed (a file become a folder) is one
// entry gone and another come.
void diff_trees(git_repository* repo, const git_tree* a, const git_tree* b, const std::string& prefix,
                std::vector<Change>& out) {
    const std::size_t a_count = a ? git_tree_entrycount(a) : 0, b_count = b ? git_tree_entrycount(b) : 0;
    std::size_t i = 0, j = 0;
    while (i < a_count || j < b_count) {
        const git_tree_entry* l = i < a_count ? git_tree_entry_byindex(a, i) : nullptr;
        const git_tree_entry* r = j < b_count ? git_tree_entry_byindex(b, j) : nullptr;
        if (l && r) {
            const int order = git_tree_entry_cmp(l, r);
            if (order < 0) r = nullptr;
            if (order > 0) l = nullptr;
        }
        if (l) ++i;
        if (r) ++j;
        if (l && r && git_oid_equal(git_tree_entry_id(l), git_tree_entry_id(r))) continue;
        const std::string name = git_tree_entry_name(l ? l : r);
        const bool l_tree = l && git_tree_entry_type(l) == GIT_OBJECT_TREE;
        const bool r_tree = r && git_tree_entry_type(r) == GIT_OBJECT_TREE;
        const bool l_blob = l && git_tree_entry_type(l) == GIT_OBJECT_BLOB;
        const bool r_blob = r && git_tree_entry_type(r) == GIT_OBJECT_BLOB;
        if (l_tree || r_tree) {
            TreePtr lt, rt;
            git_tree* raw = nullptr;
            if (l_tree && git_tree_lookup(&raw, repo, git_tree_entry_id(l)) == 0) lt.reset(raw);
            raw = nullptr;
            if (r_tree && git_tree_lookup(&raw, repo, git_tree_entry_id(r)) == 0) rt.reset(raw);
            diff_trees(repo, lt.get(), rt.get(), prefix + name + "/", out);
        }
        if (l_blob || r_blob) {
            Change c{prefix + name, std::nullopt, std::nullopt};
            if (l_blob) c.before = *git_tree_entry_id(l);
            if (r_blob) c.after = *git_tree_entry_id(r);
            out.push_back(std::move(c));
        }
    }
}

std::string blob_text(git_repository* repo, const git_oid& oid) {
    git_blob* raw = nullptr;
    if (git_blob_lookup(&raw, repo, &oid) < 0) return {};
    git::BlobPtr blob(raw);
    return std::string(static_cast<const char*>(git_blob_rawcontent(raw)), static_cast<std::size_t>(git_blob_rawsize(raw)));
}

// A table as one line people can read: "1: 88, 1.1: 90".
std::string inline_table(const toml::table& table) {
    std::ostringstream s;
    bool first = true;
    for (const auto& [k, v] : table) {
        if (!first) s << ", ";
        first = false;
        s << k.str() << ": ";
        if (v.is_string())
            s << *v.value<std::string>();
        else if (v.is_table())
            s << "{" << inline_table(*v.as_table()) << "}";
        else
            v.visit([&s](const auto& node) { s << node; });
    }
    return s.str();
}

struct Parsed {
    std::map<std::string, std::string> fields;  // top-level key -> value as TOML writes it
    std::string body;
};

Parsed parse_for_comparison(const std::string& text) {
    Parsed out;
    Diagnostics ignored;
    auto fm = split_front_matter(text, "", ignored);
    if (fm) out.body = std::move(fm->body);
    // The guarded parser: an old revision may hold anything, including TOML deep enough to
    // exhaust the stack.
    auto table = parse_toml(fm ? fm->toml : text, "", 1, ignored);
    if (!table) {
        out.body = text;
        return out;
    }
    {
        for (const auto& [k, v] : *table) {
            std::ostringstream s;
            if (v.is_string())
                s << *v.value<std::string>();
            else if (v.is_table())
                s << inline_table(*v.as_table());
            else
                v.visit([&s](const auto& node) { s << node; });
            out.fields.emplace(std::string(k.str()), s.str());
        }
    }
    return out;
}

void compare(const std::string& before, const std::string& after, Revision& rev) {
    Parsed a = parse_for_comparison(before);
    Parsed b = parse_for_comparison(after);
    std::set<std::string> keys;
    for (const auto& [k, v] : a.fields) keys.insert(k);
    for (const auto& [k, v] : b.fields) keys.insert(k);
    for (const auto& k : keys) {
        std::string va = a.fields.contains(k) ? a.fields[k] : "";
        std::string vb = b.fields.contains(k) ? b.fields[k] : "";
        if (va != vb) rev.changes.push_back({k, va, vb});
    }
    rev.body_changed = a.body != b.body;
}

// The first line of a commit's message, as UTF-8. git keeps a message's bytes as written, with the
// encoding's name in the commit when it is not UTF-8 (i18n.commitEncoding, such as GBK): such a
// message is converted from it. Bytes that are still not UTF-8 are shown as U+FFFD.
std::string summary_of(git_commit* c) {
    const char* summary = git_commit_summary(c);
    if (!summary) return "";
    const char* encoding = git_commit_message_encoding(c);
    if (encoding && *encoding)
        if (auto converted = from_encoding(summary, encoding)) return valid_utf8(*converted);
    return valid_utf8(summary);
}

Revision revision_of(git_commit* c) {
    Revision r;
    r.commit = git::oid_string(git_commit_id(c));
    r.time = static_cast<std::int64_t>(git_commit_time(c));
    r.offset = git_commit_time_offset(c);
    r.summary = summary_of(c);
    return r;
}

}  // namespace

History read_history(const git::Repository& repo, const std::string& commit_id, const std::string& content_dir,
                     const std::vector<std::string>& folders, History* base, const std::string& base_commit,
                     std::stop_token stop) {
    auto stop_if_asked = [&stop] {
        if (stop.stop_requested()) throw HistoryStopped();
    };
    History history;
    history.shallow = repo.is_shallow();
    if (history.shallow || (base && base->shallow)) base = nullptr;
    git_repository* r = repo.get();

    // The first-parent chain, newest first.
    std::vector<CommitPtr> chain;
    git_oid oid;
    check(git_oid_fromstr(&oid, commit_id.c_str()), "bad commit id");
    git_commit* raw = nullptr;
    check(git_commit_lookup(&raw, r, &oid), "cannot read commit " + commit_id);
    chain.emplace_back(raw);
    bool reached_root = false;
    CommitPtr base_point;  // base_commit, when the chain reaches it
    for (;;) {
        stop_if_asked();
        git_commit* current = chain.back().get();
        if (base && git::oid_string(git_commit_id(current)) == base_commit) {
            base_point = std::move(chain.back());
            chain.pop_back();
            break;
        }
        if (git_commit_parentcount(current) == 0) {
            reached_root = true;
            break;
        }
        git_commit* parent = nullptr;
        if (git_commit_parent(&parent, current, 0) < 0) break;  // cut off by a shallow clone
        chain.emplace_back(parent);
    }
    const bool truncated = !reached_root && !base_point;
    history.shallow = history.shallow || truncated;
    if (base_point) history.files = std::move(base->files);

    auto folder_path = [&](const std::string& folder) {
        return content_dir.empty() ? folder : content_dir + "/" + folder;
    };
    for (const auto& folder : folders) {
        TreePtr previous = base_point ? subtree(r, base_point.get(), folder_path(folder)) : nullptr;
        bool first = !base_point;
        for (auto it = chain.rbegin(); it != chain.rend(); ++it) {
            stop_if_asked();
            git_commit* c = it->get();
            TreePtr current = subtree(r, c, folder_path(folder));
            bool same = previous && current && git_oid_equal(git_tree_id(previous.get()), git_tree_id(current.get()));
            if (!same && (previous || current)) {
                std::vector<Change> changes;
                diff_trees(r, previous.get(), current.get(), folder + "/", changes);
                for (auto& ch : changes) {
                    if (!ch.after) continue;  // deleted: its history ends here
                    FileHistory& fh = history.files[ch.path];
                    Revision rev = revision_of(c);
                    if (!fh.published) {
                        fh.published = std::move(rev);
                        fh.truncated = first && truncated;
                    } else {
                        compare(ch.before ? blob_text(r, *ch.before) : "", blob_text(r, *ch.after), rev);
                        fh.amendments.push_back(std::move(rev));
                    }
                }
            }
            previous = std::move(current);
            first = false;
        }
    }
    return history;
}

}  // namespace gongkai
