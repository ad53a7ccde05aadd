#include "cache/program.h"

#include <elf.h>
#include <link.h>
#include <sys/stat.h>

#include <cstring>
#include <string_view>

#include "cache/hash.h"

namespace gongkai {

namespace {

// The GNU build id among the notes of one loaded object; empty if it has none.
std::string_view build_id(const dl_phdr_info& info) {
    for (ElfW(Half) i = 0; i < info.dlpi_phnum; ++i) {
        const ElfW(Phdr)& ph = info.dlpi_phdr[i];
        if (ph.p_type != PT_NOTE) continue;
        // Notes are padded to their segment's alignment: 4 bytes, or 8 for .note.gnu.property.
        const std::size_t align = ph.p_align == 8 ? 8 : 4;
        auto pad = [align](std::size_t n) { return (n + align - 1) / align * align; };
        const char* at = reinterpret_cast<const char*>(info.dlpi_addr + ph.p_vaddr);
        const char* end = at + ph.p_memsz;
        while (end - at >= static_cast<std::ptrdiff_t>(sizeof(ElfW(Nhdr)))) {
            ElfW(Nhdr) note;
            std::memcpy(&note, at, sizeof note);
            const char* name = at + sizeof note;
            const char* desc = name + pad(note.n_namesz);
            const char* next = desc + pad(note.n_descsz);
            if (next > end || next <= at) break;
            if (note.n_type == NT_GNU_BUILD_ID && note.n_namesz == 4 && std::memcmp(name, "GNU", 4) == 0)
                return {desc, note.n_descsz};
            at = next;
        }
    }
    return {};
}

int add_object(dl_phdr_info* info, std::size_t, void* data) {
    auto& h = *static_cast<Hasher*>(data);
    const std::string_view name = info->dlpi_name ? info->dlpi_name : "";
    // The kernel's vDSO changes with the kernel, and gives gongkai nothing it writes.
    if (name.starts_with("linux-vdso") || name.starts_with("linux-gate")) return 0;
    const std::string path = name.empty() ? "/proc/self/exe" : std::string(name);
    h.add(name.empty() ? "the program" : name);
    if (std::string_view id = build_id(*info); !id.empty()) {
        h.add("build id").add(id);
    } else {
        struct stat st {};
        if (::stat(path.c_str(), &st) == 0)
            h.add("file").add(static_cast<std::uint64_t>(st.st_size)).add(static_cast<std::int64_t>(st.st_mtime));
        else
            h.add("unknown");
    }
    return 0;
}

}  // namespace

const std::string& program_fingerprint() {
    static const std::string fingerprint = [] {
        Hasher h;
        h.add(GONGKAI_VERSION);
        ::dl_iterate_phdr(add_object, &h);
        return h.digest().hex();
    }();
    return fingerprint;
}

}  // namespace gongkai
