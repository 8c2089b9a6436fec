# Installs the libraries with an exported CMake package, so users can find_package and link.
include(GNUInstallDirs)
include(CMakePackageConfigHelpers)

# matrix_json and matrix_mock_simulation are internal (no headers installed) but the static
# libraries that use them need them. The test utilities (sdk/testing/: matrix::sync_corpus) are
# not installed; matrix-sync-corpus below is their installed front end.
install(TARGETS matrix_json matrix_sdk matrix_spec_validation matrix_client matrix_sync matrix_conformance matrix_mockserver matrix_mock_simulation
        EXPORT MatrixConformanceTargets
        ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
        LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR}
        RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR}
        INCLUDES DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
install(TARGETS matrix-conformance matrix-mockserver matrix-sync-corpus RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
# matrix-mockserver looks for its default mappings here, next to its bin/ folder.
install(DIRECTORY fixtures/mappings DESTINATION ${CMAKE_INSTALL_DATADIR}/matrix-conformance)
install(DIRECTORY sdk/include/ conformance/include/ mockserver/include/ DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
install(EXPORT MatrixConformanceTargets NAMESPACE matrix::
        DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/MatrixConformance)
# matrix::mock_testing (GoogleTest matchers for the mock) is a component of its own, so that the
# package needs GTest only from the projects that ask for it.
if(TARGET matrix_mock_testing)
  install(TARGETS matrix_mock_testing EXPORT MatrixConformanceTestingTargets
          ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
          INCLUDES DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
  install(EXPORT MatrixConformanceTestingTargets NAMESPACE matrix::
          DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/MatrixConformance)
endif()

configure_package_config_file(cmake/MatrixConformanceConfig.cmake.in
  ${PROJECT_BINARY_DIR}/MatrixConformanceConfig.cmake
  INSTALL_DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/MatrixConformance)
write_basic_package_version_file(${PROJECT_BINARY_DIR}/MatrixConformanceConfigVersion.cmake
  COMPATIBILITY SameMinorVersion)
install(FILES ${PROJECT_BINARY_DIR}/MatrixConformanceConfig.cmake
              ${PROJECT_BINARY_DIR}/MatrixConformanceConfigVersion.cmake
        DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/MatrixConformance)
