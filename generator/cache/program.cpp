#include "cache/program.h"

#include <elf.h>
#include <link.h>
#include <sys/auxv.h>
#include <sys/stat.h>

#include <cstring>
#include <string_view>

#include "cache/hash.h"

namespace gongkai {

namespace {

// The GNU build id among the notes of one loaded object; empty if it has none. Offsets are
// taken from the segment's start and checked against its size before anything is read.
std::string_view build_id(const dl_phdr_info& info) {
    for (ElfW(Half) i = 0; i < info.dlpi_phnum; ++i) {
        const ElfW(Phdr)& ph = info.dlpi_phdr[i];
        if (ph.p_type != PT_NOTE) continue;
        // A note's description, and the next note, start at its segment's alignment: 4 bytes, or
        // 8 (.note.gnu.property), counted with the header (as glibc's ELF_NOTE_DESC_OFFSET).
        const std::uint64_t align = ph.p_align == 8 ? 8 : 4;
        auto pad = [align](std::uint64_t n) { return (n + align - 1) / align * align; };
        const char* segment = reinterpret_cast<const char*>(info.dlpi_addr + ph.p_vaddr);
        const std::uint64_t size = ph.p_memsz;
        std::uint64_t at = 0;
        while (size - at >= sizeof(ElfW(Nhdr))) {
            ElfW(Nhdr) note;
            std::memcpy(&note, segment + at, sizeof note);
            const std::uint64_t name = at + sizeof note;
            const std::uint64_t desc = at + pad(sizeof note + note.n_namesz);
            const std::uint64_t next = desc + pad(note.n_descsz);
            if (next > size || name + note.n_namesz > size) break;
            if (note.n_type == NT_GNU_BUILD_ID && note.n_namesz == 4 && std::memcmp(segment + name, "GNU", 4) == 0)
                return {segment + desc, note.n_descsz};
            at = next;
        }
    }
    return {};
}

// Whether the object is the kernel's vDSO, which changes with the kernel and gives gongkai
// nothing it writes: its program headers are those at the address the kernel gave the process.
bool is_vdso(const dl_phdr_info& info) {
    const auto* ehdr = reinterpret_cast<const ElfW(Ehdr)*>(::getauxval(AT_SYSINFO_EHDR));
    return ehdr && reinterpret_cast<const char*>(info.dlpi_phdr) == reinterpret_cast<const char*>(ehdr) + ehdr->e_phoff;
}

int add_object(dl_phdr_info* info, std::size_t, void* data) {
    if (is_vdso(*info)) return 0;
    auto& h = *static_cast<Hasher*>(data);
    // By its build id alone, wherever it was found; else by its file.
    if (std::string_view id = build_id(*info); !id.empty()) {
        h.add("build id").add(id);
        return 0;
    }
    const std::string_view name = info->dlpi_name ? info->dlpi_name : "";
    const std::string path = name.empty() ? "/proc/self/exe" : std::string(name);
    struct stat st {};
    h.add("file").add(path);
    if (::stat(path.c_str(), &st) == 0)
        h.add(static_cast<std::uint64_t>(st.st_size)).add(static_cast<std::int64_t>(st.st_mtime));
    return 0;
}

}  // namespace

const std::string& program_fingerprint() {
    static const std::string fingerprint = [] {
        Hasher h;  // the version number is in the cache's header already
        ::dl_iterate_phdr(add_object, &h);
        return h.digest().hex();
    }();
    return fingerprint;
}

}  // namespace gongkai
