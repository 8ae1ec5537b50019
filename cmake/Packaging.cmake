# The .deb: `cpack -G DEB` (or `cmake --build --preset release --target package`) in a build
# directory. Its layout is the install() rules' with prefix /usr, plus what only a package
# ships: the deploy/ files under /usr/share/lanwatch, the docs, and the maintainer scripts in
# deploy/debian/ (postinst creates the `lanwatch` user; nothing enables or starts the service).

# Shared, read-only deploy files: the IT section copies them to Grafana, Prometheus and
# Alertmanager (README, "Installing the .deb"); the Grafana provisioning file points here.
set(LANWATCH_SHARE share/lanwatch)
install(DIRECTORY deploy/grafana/dashboards deploy/grafana/provisioning
        DESTINATION ${LANWATCH_SHARE}/grafana)
install(DIRECTORY deploy/prometheus/ DESTINATION ${LANWATCH_SHARE}/prometheus)
install(DIRECTORY deploy/alertmanager/ DESTINATION ${LANWATCH_SHARE}/alertmanager)
# README.md uncompressed: the unit's Documentation= names it.
install(FILES README.md deploy/debian/copyright DESTINATION share/doc/lanwatch)

set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME lanwatch)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_CONTACT "lanwatch maintainers <maintainers@users.noreply.r-seed-70509e19.example>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "network monitor for a small office LAN")
# One string (a list would join with ';'); CPack indents the lines after the first.
set(CPACK_PACKAGE_DESCRIPTION "\
lanwatchd polls routers, switches and servers over SNMP (numeric OIDs, no MIB files),
captures packets, probes far ends and services, keeps per-link history, mails alerts or
hands them to Alertmanager, and serves Prometheus metrics and a status page. The package
ships Grafana dashboards and Prometheus/Alertmanager configs under /usr/share/lanwatch.
The service is neither enabled nor started: write /etc/lanwatch/lanwatch.yaml first.")
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_STRIP_FILES ON)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)  # lanwatch_VERSION_ARCH.deb
set(CPACK_DEBIAN_PACKAGE_SECTION net)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
# The runtime libraries come from dpkg-shlibdeps (dpkg-dev); adduser is for the postinst.
# librrd is loaded at run time (daemon/history/rrd_file.cc), out of dpkg-shlibdeps' sight: its
# package (CMakeLists.txt names it) by hand, at least the version built against.
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_DEPENDS "adduser, ${RRD_PACKAGE} (>= ${RRD_VERSION})")
# snmpwalk and snmpget to look at a device by hand while writing the config.
set(CPACK_DEBIAN_PACKAGE_RECOMMENDS "snmp")
set(CPACK_DEBIAN_PACKAGE_SUGGESTS "prometheus, prometheus-alertmanager, sqlite3, rrdtool")
set(CPACK_DEBIAN_PACKAGE_CONTROL_EXTRA
    ${PROJECT_SOURCE_DIR}/deploy/debian/conffiles ${PROJECT_SOURCE_DIR}/deploy/debian/postinst
    ${PROJECT_SOURCE_DIR}/deploy/debian/prerm ${PROJECT_SOURCE_DIR}/deploy/debian/postrm)
# Scripts 0755 and conffiles 0644 in control.tar, whatever the checkout's modes.
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)

include(CPack)
