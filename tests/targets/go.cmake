# The Go target (tests/target_go/go_idle.go, issue 14 item 3), built with golang-go when it is
# installed (make deps installs it); test_stacks_go skips without it. Not in cross builds.
find_program(TL_GO go)
if(TL_GO AND NOT CMAKE_CROSSCOMPILING)
  set(TL_GO_OUT ${CMAKE_BINARY_DIR}/targets/go_idle)
  add_custom_command(OUTPUT ${TL_GO_OUT}
    COMMAND ${CMAKE_COMMAND} -E env GOCACHE=${CMAKE_BINARY_DIR}/go-cache GOPATH=${CMAKE_BINARY_DIR}/go-path
            GO111MODULE=off GOFLAGS= ${TL_GO} build -o ${TL_GO_OUT} ${CMAKE_CURRENT_SOURCE_DIR}/target_go/go_idle.go
    DEPENDS ${CMAKE_CURRENT_SOURCE_DIR}/target_go/go_idle.go
    COMMENT "go build go_idle")
  add_custom_target(go_idle ALL DEPENDS ${TL_GO_OUT})
endif()
