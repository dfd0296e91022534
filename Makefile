# A thin front over CMake: the README's two commands.
#   make demo   installs what is missing (Debian), builds, runs threadlens on its demo workload
#               (make demo PID=N: on process N instead)
#   make check  the same set-up, then every test through ctest
BUILD      ?= build
ASAN_BUILD ?= build-asan
CMAKE_FLAGS ?=
JOBS       ?= $(shell nproc 2>/dev/null || echo 2)

.PHONY: all deps build demo picture check check-asan check-unsupported bench clean install

all: build

deps:
	@scripts/install-deps.sh

$(BUILD)/CMakeCache.txt:
	cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=RelWithDebInfo $(CMAKE_FLAGS)

build: deps $(BUILD)/CMakeCache.txt
	cmake --build $(BUILD) -j $(JOBS)

# make demo: the live view on the bundled workload; make demo PID=1234: on your process
demo: build
	@if [ -n "$(PID)" ]; then $(BUILD)/threadlens top $(PID); else $(BUILD)/threadlens demo; fi

# make picture: the demo's picture shown in README.md (docs/images/demo.png), drawn again
picture: build
	mkdir -p docs/images
	$(BUILD)/threadlens demo --picture docs/images/demo.png

check: build
	ctest --test-dir $(BUILD) --output-on-failure -j $(JOBS)

check-asan: deps
	cmake -S . -B $(ASAN_BUILD) -DCMAKE_BUILD_TYPE=Debug -DTHREADLENS_SANITIZE=ON $(CMAKE_FLAGS)
	cmake --build $(ASAN_BUILD) -j $(JOBS)
	ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
	  ctest --test-dir $(ASAN_BUILD) --output-on-failure -j $(JOBS)

bench: build
	bench/run.sh

# The backend for systems threadlens does not support yet must keep building and say so.
UNSUPPORTED_BUILD ?= build-unsupported
check-unsupported: deps
	cmake -S . -B $(UNSUPPORTED_BUILD) -DTHREADLENS_PLATFORM=unsupported -DBUILD_TESTING=OFF $(CMAKE_FLAGS)
	cmake --build $(UNSUPPORTED_BUILD) -j $(JOBS)
	$(UNSUPPORTED_BUILD)/threadlens dump 1 2>&1 | grep -q 'not supported on this system'

# make install [PREFIX=/usr] [DESTDIR=/staging]: binary, man page, bash completion; without
# PREFIX, the build's CMAKE_INSTALL_PREFIX (/usr/local unless configured otherwise)
PREFIX ?=
install: build
	DESTDIR="$(DESTDIR)" cmake --install $(BUILD) $(if $(PREFIX),--prefix "$(PREFIX)")

clean:
	rm -rf $(BUILD) $(ASAN_BUILD) $(ARM64_BUILD) $(ARM64_ASAN_BUILD) $(UNSUPPORTED_BUILD) build-fuzz \
	  $(CROSS_ARCHES:%=build-%) $(CROSS_ARCHES:%=build-%-vm) build-s390x-sysroot

# arm64: cross-built with cmake/toolchain-aarch64.cmake, tested for real on an arm64 kernel
# under qemu-system-aarch64 (tests/vm/run.sh; docs/arm64.md). Two boots: a CPU without
# pointer authentication, then one with it; then a third with an ASan/UBSan arm64 build. The
# cmocka unit tests are cross-built too and run in the first two VMs.
ARM64_BUILD ?= build-arm64
ARM64_ASAN_BUILD ?= build-arm64-asan
.PHONY: deps-arm64 build-arm64 check-arm64 check-arm64-asan

deps-arm64:
	@scripts/install-arm64-deps.sh

build-arm64: deps-arm64
	cmake -S . -B $(ARM64_BUILD) -DCMAKE_TOOLCHAIN_FILE=cmake/toolchain-aarch64.cmake -DTHREADLENS_PICTURE=OFF -DCMAKE_BUILD_TYPE=RelWithDebInfo \
	  -DTHREADLENS_TEST_TARGETS_ONLY=OFF $(CMAKE_FLAGS)
	cmake --build $(ARM64_BUILD) -j $(JOBS)

check-arm64: build-arm64
	tests/vm/run.sh --arch arm64 --build $(ARM64_BUILD) --cpu cortex-a57
	tests/vm/run.sh --arch arm64 --build $(ARM64_BUILD) --cpu max,pauth-impdef=on
	$(MAKE) check-arm64-asan

# The same VM tests with an AddressSanitizer + UndefinedBehaviorSanitizer arm64 build.
check-arm64-asan: deps-arm64
	cmake -S . -B $(ARM64_ASAN_BUILD) -DCMAKE_TOOLCHAIN_FILE=cmake/toolchain-aarch64.cmake -DTHREADLENS_PICTURE=OFF -DCMAKE_BUILD_TYPE=Debug \
	  -DTHREADLENS_SANITIZE=ON -DTHREADLENS_TEST_TARGETS_ONLY=ON $(CMAKE_FLAGS)
	cmake --build $(ARM64_ASAN_BUILD) -j $(JOBS)
	tests/vm/run.sh --arch arm64 --build $(ARM64_ASAN_BUILD) --cpu cortex-a57 --no-unit --crowd 100 --timeout 1200

# s390x (big-endian) and ppc64el: cross-built the same way (cmake/toolchain-s390x.cmake,
# cmake/toolchain-ppc64le.cmake; s390x's libraries come from a private sysroot, see
# scripts/cross-sysroot.sh), tested on their Debian kernels under qemu-system-s390x /
# qemu-system-ppc64 by the same VM suite (tests/vm/run.sh --arch; docs/arm64.md). Under TCG
# these CPUs are slower than arm64's, so the crowd is smaller (CI's time budget).
CROSS_ARCHES := s390x ppc64el
CROSS_TOOLCHAIN_s390x := cmake/toolchain-s390x.cmake
CROSS_TOOLCHAIN_ppc64el := cmake/toolchain-ppc64le.cmake
CROSS_VM_ARGS_s390x ?= --crowd 100
CROSS_VM_ARGS_ppc64el ?= --crowd 100
.PHONY: $(CROSS_ARCHES:%=deps-%) $(CROSS_ARCHES:%=build-%) $(CROSS_ARCHES:%=check-%)

$(CROSS_ARCHES:%=deps-%): deps-%:
	@scripts/install-cross-deps.sh $*

$(CROSS_ARCHES:%=build-%): build-%: deps-%
	cmake -S . -B build-$* -DCMAKE_TOOLCHAIN_FILE=$(CROSS_TOOLCHAIN_$*) -DTHREADLENS_PICTURE=OFF \
	  -DCMAKE_BUILD_TYPE=RelWithDebInfo -DTHREADLENS_TEST_TARGETS_ONLY=OFF $(CMAKE_FLAGS)
	cmake --build build-$* -j $(JOBS)

$(CROSS_ARCHES:%=check-%): check-%: build-%
	tests/vm/run.sh --arch $* --build build-$* $(CROSS_VM_ARGS_$*)
