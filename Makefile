# smpsim: scalp micropigmentation simulator.
# Targets: all check bench demo install uninstall asan valgrind fuzz clean
.DELETE_ON_ERROR:
.SUFFIXES:

PREFIX ?= /usr/local
BINDIR ?= $(PREFIX)/bin
MANDIR ?= $(PREFIX)/share/man
DATADIR ?= $(PREFIX)/share/smpsim
DESTDIR ?=
CC ?= cc
CXX ?= c++
CFLAGS ?= -O2 -g
CXXFLAGS ?= $(CFLAGS)
BUILD ?= build
PKG_CONFIG ?= pkg-config

WARN = -Wall -Wextra -Wshadow -Wstrict-prototypes -Wmissing-prototypes -Wformat=2 -Wvla -Wpointer-arith
LIBS_PC = cairo libpng inih libjpeg libexif pangocairo jansson libmicrohttpd
PC_CFLAGS := $(shell $(PKG_CONFIG) --cflags $(LIBS_PC) 2>/dev/null)
# dlib (face.cpp, the one C++ file) and the C++ runtime it needs.
DLIB_CFLAGS := $(shell $(PKG_CONFIG) --cflags dlib-1 2>/dev/null)
PC_LIBS := $(shell $(PKG_CONFIG) --libs $(LIBS_PC) dlib-1 2>/dev/null) -lstdc++
CHECK_CFLAGS := $(shell $(PKG_CONFIG) --cflags check 2>/dev/null)
CHECK_LIBS := $(shell $(PKG_CONFIG) --libs check 2>/dev/null)

ALL_CFLAGS = -std=c11 -D_GNU_SOURCE -pthread $(WARN) $(WERROR) $(SAN) -Iinclude -Isrc $(PC_CFLAGS) \
             -DSMP_PRESET_DIR='"$(DATADIR)/presets"' $(CFLAGS) $(CPPFLAGS)
comma := ,
ALL_CXXFLAGS = -std=c++17 -D_GNU_SOURCE -pthread -Wall -Wextra -Wshadow $(WERROR) $(SAN) $(if $(SAN),-fno-sanitize=vptr$(if $(findstring clang,$(CXX)),$(comma)function)) -Iinclude -Isrc $(DLIB_CFLAGS) \
               $(CXXFLAGS) $(CPPFLAGS)
ALL_LDFLAGS = -pthread $(SAN) $(LDFLAGS)

# The point set's size and seed (tools/mkpointset.c): 2^17 points.
POINTSET_N = 131072
POINTSET_SEED = 1

LIB_SRC = src/analyze.c src/area.c src/batch.c src/bulk.c src/clock.c src/colour.c src/ears.c src/export.c src/field.c src/geom.c src/hairline.c src/image.c src/json.c \
          src/match.c src/noise.c src/output.c src/paths.c src/pigment.c src/pipeline.c src/plan.c src/preview.c src/print.c src/regions.c src/render.c src/sampler.c src/scalp.c src/scene.c src/shade.c src/shave.c src/status.c src/view.c
CLI_SRC = src/cli/main.c src/cli/cli.c src/cli/layout.c src/cli/analyze.c src/cli/presets.c src/cli/render.c src/cli/shade.c src/cli/print.c src/cli/batch.c src/cli/studio.c
TEST_SRC = $(sort $(wildcard tests/check_*.c))

LIB_OBJ = $(LIB_SRC:%.c=$(BUILD)/%.o) $(BUILD)/src/face.o $(BUILD)/pointset_data.o
CLI_OBJ = $(CLI_SRC:%.c=$(BUILD)/%.o)
TEST_OBJ = $(TEST_SRC:%.c=$(BUILD)/%.o)

# Rebuild everything when the flags change (e.g. -Werror for check).
FLAGS_ID := $(shell echo '$(CC) $(ALL_CFLAGS) $(CXX) $(ALL_CXXFLAGS) $(ALL_LDFLAGS)' | cksum | cut -d' ' -f1)
FLAGS_STAMP = $(BUILD)/.flags-$(FLAGS_ID)

all: $(BUILD)/smpsim

$(FLAGS_STAMP):
	@mkdir -p $(BUILD)
	@rm -f $(BUILD)/.flags-*
	@touch $@

$(BUILD)/mkpointset: tools/mkpointset.c src/rng.h
	@mkdir -p $(@D)
	$(CC) -O2 -std=c11 $(WARN) -o $@ tools/mkpointset.c -lm

$(BUILD)/pointset_data.c: $(BUILD)/mkpointset
	$(BUILD)/mkpointset $(POINTSET_N) $(POINTSET_SEED) $@

$(BUILD)/pointset_data.o: $(BUILD)/pointset_data.c src/pointset.h $(FLAGS_STAMP)
	@echo "  CC      $<"
	@$(CC) $(ALL_CFLAGS) -c -o $@ $<

$(BUILD)/%.o: %.c $(FLAGS_STAMP)
	@mkdir -p $(@D)
	@echo "  CC      $<"
	@$(CC) $(ALL_CFLAGS) $(CHECK_CFLAGS) -MMD -MP -c -o $@ $<

$(BUILD)/%.o: %.cpp $(FLAGS_STAMP)
	@mkdir -p $(@D)
	@echo "  CXX     $<"
	@$(CXX) $(ALL_CXXFLAGS) -MMD -MP -c -o $@ $<

# The renderer's pixel loops are written to be vectorised, but gcc's -O2
# vectorises only loops whose length it knows, and a float min or max only
# when NaN and -0 need not be kept apart (the renderer has neither); ask for
# that there when the compiler takes the flags.
VECTORIZE_FLAGS = -ftree-vectorize -fvect-cost-model=cheap -ffinite-math-only -fno-signed-zeros
VECTORIZE := $(shell $(CC) -Werror $(VECTORIZE_FLAGS) -x c -c -o /dev/null /dev/null 2>/dev/null && echo $(VECTORIZE_FLAGS))
$(BUILD)/src/render.o: ALL_CFLAGS += $(VECTORIZE)

$(BUILD)/libsmpsim.a: $(LIB_OBJ)
	rm -f $@
	ar rcs $@ $^

# The studio's page, built into the binary (tools/embed.c).
$(BUILD)/embed: tools/embed.c
	@mkdir -p $(@D)
	$(CC) -O2 -std=c11 $(WARN) -o $@ tools/embed.c

$(BUILD)/studio_page.c: web/studio.html $(BUILD)/embed
	$(BUILD)/embed studio_page web/studio.html $@

$(BUILD)/studio_page.o: $(BUILD)/studio_page.c $(FLAGS_STAMP)
	@echo "  CC      $<"
	@$(CC) $(ALL_CFLAGS) -c -o $@ $<

$(BUILD)/smpsim: $(CLI_OBJ) $(BUILD)/studio_page.o $(BUILD)/libsmpsim.a
	$(CC) $(ALL_LDFLAGS) -o $@ $(CLI_OBJ) $(BUILD)/studio_page.o $(BUILD)/libsmpsim.a $(PC_LIBS) -lm
	@# ./smpsim is the plain build only: a sanitizer or fuzz build must not take it over.
	@if [ "$(BUILD)" = build ]; then ln -sf build/smpsim smpsim 2>/dev/null || true; fi

$(BUILD)/mksample: tools/mksample.c $(BUILD)/libsmpsim.a
	$(CC) $(ALL_CFLAGS) -o $@ tools/mksample.c $(BUILD)/libsmpsim.a $(PC_LIBS) -lm

$(BUILD)/benchrender: tools/benchrender.c $(BUILD)/libsmpsim.a
	$(CC) $(ALL_CFLAGS) -o $@ tools/benchrender.c $(BUILD)/libsmpsim.a $(PC_LIBS) -lm

$(BUILD)/appearance: tools/appearance.c $(BUILD)/libsmpsim.a
	$(CC) $(ALL_CFLAGS) -o $@ tools/appearance.c $(BUILD)/libsmpsim.a $(PC_LIBS) -lm

$(BUILD)/jsoncheck: tools/jsoncheck.c $(FLAGS_STAMP)
	$(CC) $(ALL_CFLAGS) -o $@ tools/jsoncheck.c $(PC_LIBS)

# The sample photos are committed; this remakes them.
samples: $(BUILD)/mksample
	$(BUILD)/mksample samples

$(BUILD)/check_smpsim: $(TEST_OBJ) $(BUILD)/libsmpsim.a
	$(CC) $(ALL_LDFLAGS) -o $@ $(TEST_OBJ) $(BUILD)/libsmpsim.a $(PC_LIBS) $(CHECK_LIBS) -lm

-include $(LIB_OBJ:.o=.d) $(CLI_OBJ:.o=.d) $(TEST_OBJ:.o=.d)

deps:
	@scripts/deps.sh

deps-tests:
	@scripts/deps.sh --tests

# The cores, for building (make check and make asan build on all of them,
# as the CLI tests run on them: tests/cli/run.sh).
NPROC := $(shell nproc 2>/dev/null || echo 1)

# make check: strict build, then the Check unit tests and the CLI tests.
check: deps-tests
	@$(MAKE) -j$(NPROC) --no-print-directory WERROR=-Werror test-all

# The face tests' photo (scripts/face-photo.sh; they skip without it).
FACE_PHOTO = $(CURDIR)/build/test-photos/astronaut.png

TEST_TOOLS = SMPSIM_FACE_PHOTO=$(FACE_PHOTO) SMPSIM_APPEARANCE=$(CURDIR)/$(BUILD)/appearance SMPSIM_JSONCHECK=$(CURDIR)/$(BUILD)/jsoncheck

test-all: $(BUILD)/smpsim $(BUILD)/check_smpsim $(BUILD)/appearance $(BUILD)/jsoncheck
	@scripts/face-photo.sh $(FACE_PHOTO)
	SMPSIM_FACE_PHOTO=$(FACE_PHOTO) $(BUILD)/check_smpsim
	$(TEST_TOOLS) tests/cli/run.sh $(BUILD)/smpsim

# make golden: rewrites tests/golden/ (the reviewed expected outputs) from
# this build; look at every change before committing it.
golden: $(BUILD)/smpsim $(BUILD)/appearance $(BUILD)/jsoncheck
	SMPSIM_GOLDEN_UPDATE=1 $(TEST_TOOLS) tests/cli/run.sh $(BUILD)/smpsim golden

asan: deps-tests
	@LSAN_OPTIONS=suppressions=$(CURDIR)/tests/lsan.supp:print_suppressions=0 SMPSIM_SANITIZED=1 \
	$(MAKE) -j$(NPROC) --no-print-directory BUILD=build-asan WERROR=-Werror \
	    SAN='-fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined' \
	    CFLAGS='-O1 -g' test-all

# make valgrind: the unit tests and the CLI tests under valgrind, two at a
# time, one process per tests/cli/*.t file and per unit suite, in that
# order, longest first, so that the two cores finish together (the CLI
# files take 0.5-3 minutes each there, the suites under one); VALGRIND_CLI
# names the files, longest first (all by default; CI names the error,
# limit and safety ones).  Only definite leaks are shown and fail: glibc's
# thread-local block for the render's joined second thread was once shown
# as "possibly lost" in CI, which broke a test's one-line stderr check.
VALGRIND = valgrind -q --error-exitcode=3 --leak-check=full --errors-for-leak-kinds=definite \
           --show-leak-kinds=definite \
           --suppressions=$(CURDIR)/tests/valgrind.supp
VALGRIND_CLI ?= $(notdir $(basename $(wildcard tests/cli/*.t)))
VALGRIND_FIRST = regions match scalp print sampler
UNIT_SUITES = $(VALGRIND_FIRST) $(filter-out $(VALGRIND_FIRST),$(shell sed -n 's/.*[^a-z_]\([a-z]*\)_suite().*/\1/p' tests/check_main.c))
valgrind: deps-tests
	@scripts/deps.sh --valgrind
	@$(MAKE) --no-print-directory $(BUILD)/smpsim $(BUILD)/check_smpsim $(BUILD)/appearance $(BUILD)/jsoncheck
	@(printf '%s\n' $(VALGRIND_CLI); printf 'unit:%s\n' $(UNIT_SUITES)) | xargs -P 2 -I{} sh -c \
	    'case {} in unit:*) echo "valgrind: the {} tests ($$(date +%T))"; CK_RUN_SUITE=$$(echo {} | cut -d: -f2) CK_FORK=no $(VALGRIND) $(BUILD)/check_smpsim;; \
	     *) echo "valgrind: tests/cli/{}.t ($$(date +%T))"; SMPSIM_WRAP="$(VALGRIND)" $(TEST_TOOLS) tests/cli/run.sh $(BUILD)/smpsim {};; esac'

# make fuzz: libFuzzer harnesses (clang) for plan files, manifests, images
# and the option parsers, each run FUZZ_SECONDS on a seed corpus.
FUZZ_SECONDS ?= 60
FUZZ_SAN = -fsanitize=address,undefined -fno-omit-frame-pointer
FUZZ_CLI = build-fuzz/src/cli/cli.o build-fuzz/src/cli/layout.o build-fuzz/src/cli/analyze.o \
           build-fuzz/src/cli/presets.o build-fuzz/src/cli/render.o build-fuzz/src/cli/shade.o \
           build-fuzz/src/cli/print.o build-fuzz/src/cli/batch.o

fuzz: deps
	@scripts/deps.sh --clang
	@$(MAKE) --no-print-directory $(BUILD)/smpsim
	@$(MAKE) -j$(NPROC) --no-print-directory BUILD=build-fuzz CC=clang CXX=clang++ SAN='$(FUZZ_SAN) -fsanitize=fuzzer-no-link' \
	    CFLAGS='-O1 -g' build-fuzz/libsmpsim.a $(FUZZ_CLI)
	@for h in plan manifest manifest_plans image options dots; do \
	    clang $(FUZZ_SAN) -fsanitize=fuzzer -pthread -Iinclude -Isrc $(PC_CFLAGS) -O1 -g -o build-fuzz/fuzz_$$h \
	        tests/fuzz/fuzz_$$h.c $$( [ $$h = options ] && echo $(FUZZ_CLI) ) build-fuzz/libsmpsim.a $(PC_LIBS) -lm \
	        || exit 1; done
	scripts/fuzz.sh build-fuzz $(FUZZ_SECONDS) $(BUILD)/smpsim

bench: deps
	@$(MAKE) --no-print-directory $(BUILD)/smpsim $(BUILD)/benchrender $(BUILD)/appearance
	bench/bench.sh $(BUILD)/smpsim $(BUILD)/benchrender $(BUILD)/appearance

demo: deps
	@$(MAKE) --no-print-directory $(BUILD)/smpsim
	@scripts/demo.sh $(BUILD)/smpsim

install: $(BUILD)/smpsim
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)/man1 $(DESTDIR)$(DATADIR)/presets \
	    $(DESTDIR)$(PREFIX)/share/bash-completion/completions
	install -m 755 $(BUILD)/smpsim $(DESTDIR)$(BINDIR)/smpsim
	install -m 644 man/smpsim.1 $(DESTDIR)$(MANDIR)/man1/smpsim.1
	install -m 644 presets/*.smp $(DESTDIR)$(DATADIR)/presets/
	install -m 644 completions/smpsim.bash $(DESTDIR)$(PREFIX)/share/bash-completion/completions/smpsim

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/smpsim $(DESTDIR)$(MANDIR)/man1/smpsim.1 \
	    $(DESTDIR)$(PREFIX)/share/bash-completion/completions/smpsim
	rm -rf $(DESTDIR)$(DATADIR)

clean:
	rm -rf build build2 build-asan build-fuzz smpsim demo-out

PHONY_SAMPLES = samples
.PHONY: golden fuzz samples all check test-all asan valgrind bench demo install uninstall clean deps deps-tests
