# The two entry points of README.md: `make run` and `make test`.
BUILD      ?= build
ASAN_BUILD ?= build-asan
JOBS       ?= $(shell nproc)
# Unity builds: eight sources per compiler run parse Asio, Beast, Catch2 and the project's
# headers once instead of eight times; a cold build takes a third of the CPU it did
# (tests/bench/README.md "Build and CI time"). UNITY=OFF builds file by file, which is
# quicker for a one-file change.
UNITY      ?= ON
CMAKE_GEN  := -G Ninja -DCMAKE_CXX_COMPILER_LAUNCHER=ccache -DCMAKE_UNITY_BUILD=$(UNITY) \
              -DCMAKE_UNITY_BUILD_BATCH_SIZE=8

.PHONY: deps build build-asan test run fuzz format-check clean package image

deps:
	bash packaging/install-deps.sh

$(BUILD)/build.ninja:
	cmake -S . -B $(BUILD) $(CMAKE_GEN) -DCMAKE_BUILD_TYPE=RelWithDebInfo

build: deps $(BUILD)/build.ninja
	cmake --build $(BUILD) -j $(JOBS)

$(ASAN_BUILD)/build.ninja:
	cmake -S . -B $(ASAN_BUILD) $(CMAKE_GEN) -DCMAKE_BUILD_TYPE=Debug -DNANBYO_SANITIZE=ON \
	  -DCMAKE_CXX_FLAGS_DEBUG=-g1

# Line tables only (-g1): all a sanitizer's report needs, and about 8 % less compile time
# (tests/bench/README.md "Build and CI time"). Only what the tests labelled unit run
# (target unit-tests, tests/CMakeLists.txt): the ASan build runs nothing else.
build-asan: deps $(ASAN_BUILD)/build.ninja
	cmake --build $(ASAN_BUILD) -j $(JOBS) --target unit-tests

# The tracked C++ sources follow .clang-format (CONVENTIONS.md rule 13).
format-check: deps
	git ls-files '*.cpp' '*.h' | xargs clang-format --dry-run --Werror

# Every test in the release build, then the unit tests again under ASan+UBSan. A Catch2
# executable missing from unit-tests would appear in build-asan only as an unlabelled
# *_NOT_BUILT test, which -L unit skips silently: the grep fails the run instead.
test: format-check build build-asan
	cd $(BUILD) && ctest --output-on-failure -j $(JOBS)
	cd $(ASAN_BUILD) && ! ctest -N | grep _NOT_BUILT
	cd $(ASAN_BUILD) && ctest --output-on-failure -j $(JOBS) -L unit

# The Debian packages (docs/install.md) from the release build: $(BUILD)/deb/*.deb.
package: build
	cd $(BUILD) && cpack --config CPackConfig.cmake

# The appliance image (docs/install.md "The image"): $(BUILD)/image/nanbyo-appliance.img
# with its kernel and initramfs, from the packages above; needs root.
image: package
	bash packaging/image/make-image.sh --debs $(BUILD)/deb --out $(BUILD)/image

run: build
	bash packaging/run-dev.sh $(BUILD)

# libFuzzer binaries (clang, ASan+UBSan), each run FUZZ_SECONDS on its corpus.
FUZZ_BUILD   ?= build-fuzz
FUZZ_SECONDS ?= 30
$(FUZZ_BUILD)/build.ninja:
	CC=clang CXX=clang++ cmake -S . -B $(FUZZ_BUILD) $(CMAKE_GEN) -DCMAKE_BUILD_TYPE=RelWithDebInfo \
	  -DNANBYO_SANITIZE=ON -DNANBYO_FUZZ=ON

fuzz: deps $(FUZZ_BUILD)/build.ninja
	cmake --build $(FUZZ_BUILD) -j $(JOBS) --target user_key_file_fuzz sealed_file_fuzz pem_objects_fuzz pkcs12_fuzz \
	  cstp_frame_fuzz ip_packet_fuzz config_auth_fuzz form_xml_fuzz csv_upload_fuzz urlencoded_form_fuzz \
	  tun_request_fuzz request_target_fuzz upstream_response_fuzz \
	  session_header_fuzz network_text_fuzz ips_state_fuzz inspection_prefilter_fuzz \
	  vici_message_fuzz ocsp_request_fuzz
	bash tests/fuzz/run.sh $(FUZZ_BUILD)/tests/fuzz $(FUZZ_SECONDS)

clean:
	rm -rf $(BUILD) $(ASAN_BUILD) $(FUZZ_BUILD)
