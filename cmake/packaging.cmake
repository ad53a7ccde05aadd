# The Debian package (CPack) and what an installed gongkai needs besides the rules in
# generator/CMakeLists.txt (binary to bin/, themes to share/gongkai/themes/).

# The publish hook ships with the package, ready to copy into a bare repository's hooks/.
install(PROGRAMS ${PROJECT_SOURCE_DIR}/hooks/post-receive DESTINATION share/gongkai/hooks)

set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME gongkai)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_VENDOR "gongkai")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "static site generator for government progress disclosure")
set(CPACK_PACKAGE_DESCRIPTION
    "gongkai reads progress reports (Markdown with TOML front matter) from a git commit and writes a static site: "
    "a page per department, project and report, SVG completion charts, open data, feeds, and the publication "
    "history of every report.")
set(CPACK_PACKAGE_CONTACT "gongkai maintainers <gongkai@example.org>")
# Installed under /usr whatever CMAKE_INSTALL_PREFIX the build used, so the binary is
# /usr/bin/gongkai and finds its theme in /usr/share/gongkai/themes (see find_themes_dir).
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)  # gongkai_<version>_<arch>.deb
set(CPACK_DEBIAN_PACKAGE_SECTION web)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
set(CPACK_DEBIAN_PACKAGE_HOMEPAGE "https://example.org/gongkai")
# Debian 12's runtime libraries, named so `apt-get install ./gongkai_….deb` pulls them in;
# dpkg-shlibdeps adds libc and libstdc++ from what the binary links.
set(CPACK_DEBIAN_PACKAGE_DEPENDS
    "libgit2-1.5, libcmark-gfm0.29.0.gfm.6, libcmark-gfm-extensions0.29.0.gfm.6, libtomlplusplus3, libcpp-httplib0.11, libjemalloc2, libxxhash0, libsimdjson14, libdeflate0")
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_RECOMMENDS "git")

include(CPack)
