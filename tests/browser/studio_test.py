#!/usr/bin/env python3
"""The studio's page in a real browser: Debian's chromium, headless, driven
by Selenium through chromedriver.

  studio_test.py test  SMPSIM SAMPLES SHOTS   the practitioner's path, checked
  studio_test.py bench SMPSIM PHOTO...        anchor drag -> preview decoded, in ms

test: opens the page, loads samples/top.jpg, gives the scale, taps the three
hairline points of samples/top.smp, drags the front one (with a touch
pointer), waits for the preview to change, undoes and redoes the drag, saves
the plan when the studio can (else says so), checks that `smpsim render` of
the plan gives the preview the page showed, draws the area and an exclusion
(the preview's pixels inside it the photo's; undo takes it away), and
takes screenshots at 1280x800 and 1366x768 into SHOTS.  Prints "FAIL: ..." lines and exits 1 on a
failure; exits 77 with "SKIP: ..." when the browser or Selenium is missing.

bench: for each photo, places the hairline, then moves the front point 20
times by synthetic pointer events and reads the page's own timing
(performance.now() from the move to the new preview decoded); prints the
median and 95th percentile per photo.
"""
import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time

try:
    from selenium import webdriver
    from selenium.common.exceptions import WebDriverException
    from selenium.webdriver.chrome.service import Service
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.actions import interaction
    from selenium.webdriver.common.actions.action_builder import ActionBuilder
    from selenium.webdriver.common.actions.pointer_input import PointerInput
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select
    from selenium.webdriver.common.keys import Keys
except ImportError:
    print("SKIP: no python3-selenium")
    sys.exit(77)

failures = []


def fail(msg):
    print("FAIL: " + msg, flush=True)
    failures.append(msg)


def find_exe(*names):
    for n in names:
        p = shutil.which(n) or (n if os.path.isabs(n) and os.access(n, os.X_OK) else None)
        if p:
            return p
    return None


class Studio:
    """smpsim studio on a free loopback port, in its own folder."""

    def __init__(self, smpsim, folder):
        help_text = subprocess.run([smpsim, "studio", "--help"], capture_output=True, text=True).stdout
        args = [smpsim, "studio", "--listen", "127.0.0.1:0"]
        self.has_dir = "--dir" in help_text
        if self.has_dir:
            args += ["--dir", folder]
        self.out = open(os.path.join(folder, "..", "studio.out"), "w+")
        self.err = open(os.path.join(folder, "..", "studio.err"), "w+")
        self.proc = subprocess.Popen(args, stdout=self.out, stderr=self.err, cwd=folder)
        self.url = None
        for _ in range(100):
            self.out.seek(0)
            for line in self.out:
                if line.startswith("smpsim studio: http"):
                    self.url = line.split(": ", 1)[1].strip()
            if self.url or self.proc.poll() is not None:
                break
            time.sleep(0.05)
        if not self.url:
            self.err.seek(0)
            raise RuntimeError("the studio printed no address: " + self.err.read())

    def stop(self):
        self.proc.send_signal(2)
        try:
            code = self.proc.wait(10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            code = "killed"
        if code != 0:
            self.err.seek(0)
            fail("the studio ended with %s after Ctrl-C: %s" % (code, self.err.read()[-300:]))


def browser():
    chromium = find_exe("chromium", "chromium-browser", "/usr/bin/chromium")
    driver = find_exe("chromedriver", "/usr/bin/chromedriver")
    if not chromium or not driver:
        print("SKIP: no chromium or chromedriver (Debian: chromium chromium-driver)")
        sys.exit(77)
    o = webdriver.ChromeOptions()
    o.binary_location = chromium
    for a in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
              "--window-size=1400,1000", "--hide-scrollbars"):
        o.add_argument(a)
    o.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    try:
        return webdriver.Chrome(service=Service(driver), options=o)
    except WebDriverException as e:
        print("SKIP: chromium does not start: %s" % str(e).splitlines()[0])
        sys.exit(77)


def viewport(d, w, h):
    """The page's own size, as on that screen (not the window's)."""
    d.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                      {"width": w, "height": h, "deviceScaleFactor": 1, "mobile": False})
    wait(d, "return innerWidth === %d && innerHeight === %d" % (w, h), "the %dx%d viewport" % (w, h))
    time.sleep(0.2)


def wait(d, script, what, timeout=30):
    end = time.time() + timeout
    while time.time() < end:
        if d.execute_script(script):
            return True
        time.sleep(0.03)
    raise TimeoutError("waited %d s for %s" % (timeout, what))


def settle(d, what, timeout=60):
    """Until no preview is asked for or on its way."""
    wait(d, "return !studio.busy()", what, timeout)


def shown_hash(d):
    """SHA-256 of the picture the page shows as the preview."""
    return d.execute_async_script("""
        const done = arguments[arguments.length - 1];
        const src = document.getElementById('afterImg').getAttribute('src');
        if (!src) return done(null);
        fetch(src).then(r => r.arrayBuffer()).then(b => crypto.subtle.digest('SHA-256', b))
          .then(h => done([...new Uint8Array(h)].map(x => x.toString(16).padStart(2, '0')).join('')));""")


def shown_bytes(d):
    import base64
    b64 = d.execute_async_script("""
        const done = arguments[arguments.length - 1];
        fetch(document.getElementById('afterImg').getAttribute('src')).then(r => r.blob()).then(b => {
          const f = new FileReader(); f.onload = () => done(f.result.split(',')[1]); f.readAsDataURL(b); });""")
    return base64.b64decode(b64)


def frame_offset(d, x, y):
    """Offsets from the overlay's centre (Selenium's origin) of photo pixel X,Y."""
    r = d.execute_script("""const r = document.getElementById('marks').getBoundingClientRect();
        const s = studio.state(); return [r.width, r.height];""")
    w, h = d.execute_script("return [document.getElementById('marks').viewBox.baseVal.width,"
                            " document.getElementById('marks').viewBox.baseVal.height]")
    return round(x / w * r[0] - r[0] / 2), round(y / h * r[1] - r[1] / 2)


# The preview's pixels that differ from the photo's (/api/before at the
# same width, as the page shows it) in the rectangle X0,Y0-X1,Y1 of photo
# pixels: [differing, compared].
EXCLUSION_PIXELS = """
    const done = arguments[arguments.length - 1], r = arguments[0];
    const load = (src) => new Promise((ok, bad) => { const i = new Image(); i.onload = () => ok(i); i.onerror = bad; i.src = src; });
    const pixels = (img) => { const c = document.createElement('canvas'); c.width = img.naturalWidth; c.height = img.naturalHeight;
      const g = c.getContext('2d'); g.drawImage(img, 0, 0); return g.getImageData(0, 0, c.width, c.height); };
    Promise.all([load(document.getElementById('afterImg').src), load(document.getElementById('photoImg').src)]).then(([a, b]) => {
      if (a.naturalWidth !== b.naturalWidth) return done(null);
      const k = a.naturalWidth / document.getElementById('marks').viewBox.baseVal.width, pa = pixels(a), pb = pixels(b);
      let diff = 0, n = 0;
      for (let y = Math.ceil(r[1] * k); y < Math.floor(r[3] * k); y++)
        for (let x = Math.ceil(r[0] * k); x < Math.floor(r[2] * k); x++) {
          const o = 4 * (y * pa.width + x);
          n++;
          if (pa.data[o] !== pb.data[o] || pa.data[o + 1] !== pb.data[o + 1] || pa.data[o + 2] !== pb.data[o + 2]) diff++;
        }
      done([diff, n]);
    }).catch(() => done(null));"""


def tap(d, x, y):
    marks = d.find_element(By.ID, "marks")
    ox, oy = frame_offset(d, x, y)
    ActionChains(d).move_to_element_with_offset(marks, ox, oy).click().perform()


def touch_drag(d, x0, y0, x1, y1):
    """A finger on the overlay: down at X0,Y0, moved in steps, up at X1,Y1."""
    marks = d.find_element(By.ID, "marks")
    a = ActionBuilder(d, mouse=PointerInput(interaction.POINTER_TOUCH, "finger"))
    ox, oy = frame_offset(d, x0, y0)
    a.pointer_action.move_to(marks, ox, oy).pointer_down()
    for k in range(1, 6):
        ox, oy = frame_offset(d, x0 + (x1 - x0) * k / 5, y0 + (y1 - y0) * k / 5)
        a.pointer_action.move_to(marks, ox, oy)
    a.pointer_action.pointer_up()
    a.perform()


def mouse_drag(d, x0, y0, x1, y1):
    marks = d.find_element(By.ID, "marks")
    a = ActionChains(d).move_to_element_with_offset(marks, *frame_offset(d, x0, y0)).click_and_hold()
    for k in range(1, 5):
        a.move_to_element_with_offset(marks, *frame_offset(d, x0 + (x1 - x0) * k / 4, y0 + (y1 - y0) * k / 4))
    a.release().perform()


def close(p, q, tol=3):
    return abs(p[0] - q[0]) <= tol and abs(p[1] - q[1]) <= tol


def check_fits(d, w, h):
    """What a practitioner must see on that screen: the whole photo, the note, the tools."""
    r = d.execute_script("""
        const box = (id) => { const r = document.getElementById(id).getBoundingClientRect();
                              return [r.left, r.top, r.right, r.bottom]; };
        const note = document.querySelector('.note').getBoundingClientRect();
        return { frame: box('frame'), tools: box('tools'), note: [note.left, note.top, note.right, note.bottom],
                 scrollW: document.documentElement.scrollWidth, aside: box('secLine') };""")
    for name in ("frame", "tools", "note"):
        b = r[name]
        if b[0] < 0 or b[1] < 0 or b[2] > w + 0.5 or b[3] > h + 0.5 or b[2] - b[0] < 10:
            fail("at %dx%d the %s is not wholly on the screen: %s" % (w, h, name, b))
    if r["scrollW"] > w:
        fail("at %dx%d the page scrolls sideways (%d px wide)" % (w, h, r["scrollW"]))
    fw, fh = r["frame"][2] - r["frame"][0], r["frame"][3] - r["frame"][1]
    if fw < 0.5 * (w - 330) and fh < 0.7 * h:
        fail("at %dx%d the photo is shown small: %dx%d" % (w, h, fw, fh))


def run_test(smpsim, samples, shots):
    os.makedirs(shots, exist_ok=True)
    work = tempfile.mkdtemp(prefix="smpsim-browser-")
    folder = os.path.join(work, "plans")
    os.makedirs(folder)
    studio = Studio(smpsim, folder)
    d = browser()
    try:
        viewport(d, 1280, 800)
        d.get(studio.url)
        wait(d, "return document.readyState === 'complete' && window.studio", "the page")
        d.save_screenshot(os.path.join(shots, "studio-empty-1280x800.png"))
        photo = os.path.join(samples, "top.jpg")
        d.find_element(By.ID, "photo").send_keys(photo)
        wait(d, "return studio.session() !== null", "the photo's session")
        has_api = d.execute_script("return studio.hasApi()")
        settle(d, "the first preview")
        # With the face to a side, the taps are for a side view's line: from
        # the top of the head to the one temple in view.
        face = Select(d.find_element(By.ID, "face"))
        face.select_by_value("left")
        hint = d.find_element(By.ID, "lineHint").text
        if "top of the head" not in hint:
            fail("with the face to the left the hairline hint says: " + hint + " (face " + str(d.execute_script("return [studio.state().face, document.getElementById('face').value]")) + ")")
        # The top view shows no face: the note under "Suggested points"
        # names the points to tap, for a side view too.
        note = d.find_element(By.ID, "suggestNote").text
        if has_api and "top of the head, the front and the temple" not in note:
            fail("with the face to the left the suggestion note says: " + note)
        face.select_by_value("down")
        if "left temple" not in d.find_element(By.ID, "lineHint").text:
            fail("with the face down the hairline hint says: " + d.find_element(By.ID, "lineHint").text)
        note = d.find_element(By.ID, "suggestNote").text
        if has_api and "tap the temples and the front" not in note:
            fail("with the face down the suggestion note says: " + note)
        # The scale of samples/top.smp, typed.
        px = d.find_element(By.ID, "pxmm")
        px.send_keys("4")
        px.send_keys(Keys.TAB)
        # Its hairline points, tapped in order.
        anchors = [(190, 610), (400, 700), (610, 610)]
        for x, y in anchors:
            tap(d, x, y)
        got = d.execute_script("return studio.state().anchors")
        if len(got) != 3 or not all(close(p, q) for p, q in zip(got, anchors)):
            fail("tapped anchors %s, the page holds %s" % (anchors, got))
        # The rounded shape of the sample, from the row of pictures.
        d.find_element(By.CSS_SELECTOR, "[data-shape=rounded]").click()
        settle(d, "the preview of the three points")
        if not d.execute_script("return !!document.getElementById('afterImg').getAttribute('src')"):
            fail("no preview shown after three points: " + d.find_element(By.ID, "info").text)
        # The sample's long hair round the area is said in the page's
        # words, with no command-line option in them.
        info = d.find_element(By.ID, "info").text
        if "long hair lies round the area" not in info or "--" in info:
            fail("the line beside the preview: " + info)
        h1 = shown_hash(d)
        n1 = d.execute_script("return studio.previews")
        # Drag the front point 40 px down, with a finger.
        touch_drag(d, 400, 700, 400, 740)
        settle(d, "the preview of the dragged point")
        got = d.execute_script("return studio.state().anchors")
        if not close(got[1], (400, 740), 4):
            fail("the front point dragged to 400,740 is at %s" % got[1])
        h2 = shown_hash(d)
        if h2 == h1 or d.execute_script("return studio.previews") <= n1:
            fail("the preview did not change after the drag")
        # Undo brings the tapped point back, redo the dragged one.
        body = d.find_element(By.TAG_NAME, "body")
        ActionChains(d).key_down(Keys.CONTROL).send_keys("z").key_up(Keys.CONTROL).perform()
        settle(d, "the preview after undo")
        if not close(d.execute_script("return studio.state().anchors[1]"), (400, 700)):
            fail("undo did not bring the front point back: %s" % d.execute_script("return studio.state().anchors"))
        if shown_hash(d) != h1:
            fail("after undo the preview is not the one before the drag")
        ActionChains(d).key_down(Keys.CONTROL).key_down(Keys.SHIFT).send_keys("z").key_up(Keys.SHIFT) \
            .key_up(Keys.CONTROL).perform()
        settle(d, "the preview after redo")
        if not close(d.execute_script("return studio.state().anchors[1]"), (400, 740), 4):
            fail("redo did not move the front point again")
        body.click() if False else None
        settings = d.execute_script("return studio.settings('plan')")
        for k, v in (("scale", "4"), ("hairline", "rounded")):
            if settings.get(k) != v:
                fail("the page sends %s=%s, expected %s" % (k, settings.get(k), v))
        # The picture shown is what render draws from the same options.
        shown = shown_bytes(d)
        live = dict(settings, compose="after")
        args = [smpsim, "render", photo, "-o", os.path.join(work, "cli.png")]
        for k, v in live.items():
            args += ["--" + k, v]
        subprocess.run(args, capture_output=True, check=True)
        cli = open(os.path.join(work, "cli.png"), "rb").read()
        width = int.from_bytes(shown[16:20], "big")
        if width == 800:
            if cli != shown:
                fail("the preview the page shows differs from smpsim render of its options")
        else:
            print("note: the preview is drawn %d px wide for the screen; the full-size comparison is in the save step" % width)
        # Save the plan and its picture; render the plan again.
        if has_api:
            name = d.find_element(By.ID, "name")
            name.clear()
            name.send_keys("browser-test")
            d.find_element(By.ID, "save").click()
            wait(d, "return !!studio.saved", "the save")
            saved = d.execute_script("return studio.saved")
            plan = [f for f in saved if f.endswith(".smp")]
            png = [f for f in saved if f.endswith(".png")]
            if not plan or not png:
                fail("saved %s: no plan or no PNG" % saved)
            else:
                again = os.path.join(work, "again.png")
                r = subprocess.run([smpsim, "render", os.path.join(folder, plan[0]), "-o", again],
                                   capture_output=True, text=True, cwd=folder)
                if r.returncode != 0:
                    fail("smpsim render %s: %s" % (plan[0], r.stderr.strip()))
                elif open(again, "rb").read() != open(os.path.join(folder, png[0]), "rb").read():
                    fail("smpsim render of the saved plan differs from the saved preview")
        else:
            print("note: this studio has no /api/save yet: the save and render-again step is not run")
        # How it looks on a tablet in landscape and on a laptop.
        for w, h in ((1280, 800), (1366, 768), (1920, 1080)):
            viewport(d, w, h)
            settle(d, "the preview at %dx%d" % (w, h))
            check_fits(d, w, h)
            d.save_screenshot(os.path.join(shots, "studio-%dx%d.png" % (w, h)))
        viewport(d, 1280, 800)
        d.find_element(By.CSS_SELECTOR, "[data-compose=split]").click()
        settle(d, "the split view")
        d.save_screenshot(os.path.join(shots, "studio-split-1280x800.png"))
        d.find_element(By.CSS_SELECTOR, "[data-tool=area]").click()
        d.find_element(By.CSS_SELECTOR, "[data-compose=side]").click()
        settle(d, "the side by side view")
        d.save_screenshot(os.path.join(shots, "studio-side-area-1280x800.png"))
        # The ruler: dragged between two points, the millimetres typed.
        d.find_element(By.CSS_SELECTOR, "[data-tool=ruler]").click()
        mouse_drag(d, 190, 610, 610, 610)
        mm = d.find_element(By.ID, "rulerMm")
        mm.send_keys("105")
        settle(d, "the preview with the ruler")
        ruler = d.execute_script("return studio.settings('plan')")
        r = [float(v) for v in ruler.get("ruler", "0").split(",")]
        if len(r) != 5 or not (close(r[0:2], (190, 610)) and close(r[2:4], (610, 610)) and r[4] == 105) or "scale" in ruler:
            fail("after the ruler the page sends ruler=%s scale=%s" % (ruler.get("ruler"), ruler.get("scale")))
        info = d.execute_script("return studio.info")
        if not info or abs(info.get("scale", 0) - 4.0) > 0.05:
            fail("the studio's scale from a 420 px ruler of 105 mm: %s" % info)
        # The front's height: the slider moves the front point across the
        # temples' line, toward the face, to the millimetres it says.
        before = d.execute_script("return studio.state().anchors.map(p => p.slice())")
        d.execute_script("""const h = document.getElementById('height');
            h.value = 30; h.dispatchEvent(new Event('input')); h.dispatchEvent(new Event('change'));""")
        settle(d, "the preview with the front 30 mm ahead")
        after = d.execute_script("return studio.state().anchors")
        # Temples level at y 610: 30 mm at 4 px/mm puts the front at y 730.
        if not (close(after[0], before[0], 0.5) and close(after[2], before[2], 0.5) and close(after[1], (before[1][0], 730), 1.5)):
            fail("the height slider at 30 mm moved the points %s -> %s" % (before, after))
        shown = d.execute_script("return document.getElementById('height-v').textContent")
        if not shown.startswith("30 mm"):
            fail("the height slider says %r" % shown)
        d.find_element(By.ID, "undo").click()
        settle(d, "the preview after undoing the height")
        if not close(d.execute_script("return studio.state().anchors")[1], before[1], 0.5):
            fail("undo did not put the front back")
        # The area: taps with the Area tool add corners (to the suggested
        # outline when the studio has one: a tap away from it adds a corner
        # where it lengthens the outline least); a double-click
        # removes one; undo puts it back.
        d.find_element(By.CSS_SELECTOR, "[data-compose=after]").click()
        d.find_element(By.CSS_SELECTOR, "[data-tool=area]").click()
        corners = lambda: len(d.execute_script("return studio.state().area || []"))
        # Well inside the scalp, far from any corner the studio suggests.
        # The first tap starts the area (or the suggested outline, simplified
        # for handles); each of the next three adds a corner.
        tap(d, 330, 330)
        n0 = corners() - 1
        for x, y in ((470, 330), (470, 470), (330, 470)):
            tap(d, x, y)
        settle(d, "the preview of the area")
        if n0 < 0 or corners() != n0 + 4:
            fail("four taps with the Area tool made %d corners from %d" % (corners(), n0))
        sent = d.execute_script("return studio.settings('plan')['area-polygon'] || ''").split()
        if len(sent) != corners() or "area" in d.execute_script("return studio.settings('plan')"):
            fail("the page sends area-polygon=%s for %d corners" % (sent, corners()))
        marks = d.find_element(By.ID, "marks")
        ActionChains(d).move_to_element_with_offset(marks, *frame_offset(d, 470, 470)).double_click().perform()
        settle(d, "the preview without a corner")
        if corners() != n0 + 3:
            fail("a double-click on a corner left %d corners, expected %d" % (corners(), n0 + 3))
        d.find_element(By.ID, "undo").click()
        settle(d, "the preview after undo")
        if corners() != n0 + 4:
            fail("undo after removing a corner: %d corners, expected %d" % (corners(), n0 + 4))
        d.save_screenshot(os.path.join(shots, "studio-area-1280x800.png"))
        # Draw anew: the outline so far is dropped and each tap is the next
        # corner, in order (tapping round an outline would insert corners
        # into it and could cross it).
        d.find_element(By.ID, "newArea").click()
        if corners() != 0:
            fail("Draw anew kept %d corners" % corners())
        square = ((300, 300), (500, 300), (500, 500), (300, 500))
        for x, y in square:
            tap(d, x, y)
        settle(d, "the preview of the new area")
        got = [[round(v) for v in p] for p in d.execute_script("return studio.state().area")]
        if len(got) != 4 or any(not close(g, q, 4) for g, q in zip(got, square)):
            fail("four taps after Draw anew made the area %s, expected %s" % (got, square))
        # An exclusion: "Add an exclusion", four taps over part of the area;
        # the page sends it, the preview inside it is the photo's own
        # pixels, and undo takes it away again.
        changed_inside = lambda: d.execute_async_script(EXCLUSION_PIXELS, [350, 350, 410, 410])
        before_excl = changed_inside()
        if not before_excl or before_excl[0] <= 0:
            fail("before the exclusion the preview has no dots there to take away: %s" % (before_excl,))
        h_before = shown_hash(d)
        d.find_element(By.ID, "addExcl").click()
        ring = ((340, 340), (420, 340), (420, 420), (340, 420))
        for x, y in ring:
            tap(d, x, y)
        settle(d, "the preview with the exclusion")
        sent = d.execute_script("return studio.settings('plan')['exclude-polygon'] || ''")
        got = [[float(v) for v in c.split(",")] for c in sent.split()]
        if "|" in sent or len(got) != 4 or any(not close(g, q, 4) for g, q in zip(got, ring)):
            fail("four taps after Add an exclusion: the page sends exclude-polygon=%r, expected %s" % (sent, ring))
        after_excl = changed_inside()
        if not after_excl or after_excl[0] != 0:
            fail("%s preview pixels inside the exclusion differ from the photo's (of %s)" %
                 (after_excl and after_excl[0], after_excl and after_excl[1]))
        d.save_screenshot(os.path.join(shots, "studio-exclusion-1280x800.png"))
        undos = 0
        while "exclude-polygon" in d.execute_script("return studio.settings('plan')") and undos < 5:
            d.find_element(By.ID, "undo").click()
            undos += 1
        settle(d, "the preview after undoing the exclusion")
        if undos > 2 or "exclude-polygon" in d.execute_script("return studio.settings('plan')"):
            fail("undo took %d steps to take the exclusion away" % undos)
        if shown_hash(d) != h_before:
            fail("after undoing the exclusion the preview is not the one before it")
        # Redone, saved, and the plan opened again: the exclusion comes back.
        for _ in range(undos):
            d.find_element(By.ID, "redo").click()
        settle(d, "the preview after redoing the exclusion")
        if d.execute_script("return studio.settings('plan')['exclude-polygon'] || ''") != sent:
            fail("redo did not bring the exclusion back")
        if has_api:
            d.execute_script("studio.saved = null")
            name = d.find_element(By.ID, "name")
            name.clear()
            name.send_keys("with-exclusion")
            d.find_element(By.ID, "save").click()
            wait(d, "return !!studio.saved", "the save with the exclusion")
            wait(d, "return [...document.getElementById('plans').options].some(o => o.value === 'with-exclusion.smp')",
                 "the saved plan in the list")
            d.execute_script("document.getElementById('plans').value = 'with-exclusion.smp'")
            d.execute_script("studio.state().excl = []")
            d.execute_script("document.getElementById('openPlan').click()")  # its section is folded by now
            wait(d, "return studio.state().excl.length === 1", "the plan's exclusion restored")
            settle(d, "the preview of the plan opened again")
            if d.execute_script("return studio.settings('plan')['exclude-polygon'] || ''") != sent:
                fail("the plan opened again sends exclude-polygon=%r, expected %r" %
                     (d.execute_script("return studio.settings('plan')['exclude-polygon']"), sent))
        errors = [e for e in d.get_log("browser") if e.get("level") == "SEVERE" and "/api/" not in e.get("message", "")]
        for e in errors:
            fail("the page's console: " + e["message"])
    finally:
        d.quit()
        studio.stop()
        shutil.rmtree(work, ignore_errors=True)
    return 1 if failures else 0


def pct(xs, p):
    xs = sorted(xs)
    k = min(len(xs) - 1, max(0, int(round(p / 100 * (len(xs) - 1)))))
    return xs[k]


# Moves the front point by a synthetic pointer drag; resolves with the page's
# timing of that move (to the new preview decoded).
DRAG = """
const [dx, dy, done] = arguments;
const m = document.getElementById('marks'), r = m.getBoundingClientRect();
const s = studio.state(), a = s.anchors[1], vb = m.viewBox.baseVal;
const at = (p) => ({ clientX: r.left + p[0] / vb.width * r.width, clientY: r.top + p[1] / vb.height * r.height,
                     pointerId: 7, pointerType: 'mouse', bubbles: true, button: 0, buttons: 1 });
const n = studio.timings.length, e = studio.errors;
m.dispatchEvent(new PointerEvent('pointerdown', at(a)));
m.dispatchEvent(new PointerEvent('pointermove', at([a[0] + dx, a[1] + dy])));
m.dispatchEvent(new PointerEvent('pointerup', at([a[0] + dx, a[1] + dy])));
const t0 = performance.now();
(function wait() {
  if (studio.timings.length > n && !studio.busy()) done(studio.timings[studio.timings.length - 1]);
  else if (studio.errors > e && !studio.busy()) done(document.getElementById('info').textContent);
  else if (performance.now() - t0 > 60000) done('no preview within 60 s');
  else setTimeout(wait, 2);
})();
"""


def run_bench(smpsim, photos):
    work = tempfile.mkdtemp(prefix="smpsim-browser-")
    folder = os.path.join(work, "plans")
    os.makedirs(folder)
    studio = Studio(smpsim, folder)
    d = browser()
    d.set_script_timeout(90)
    try:
        viewport(d, 1280, 800)
        d.get(studio.url)
        wait(d, "return document.readyState === 'complete' && window.studio", "the page")
        for photo in photos:
            d.find_element(By.ID, "photo").send_keys(os.path.abspath(photo))
            wait(d, "return studio.session() !== null && studio.state().anchors.length === 0", "the session", 120)
            w, h = d.execute_script("const v = document.getElementById('marks').viewBox.baseVal; return [v.width, v.height]")
            settle(d, "the first preview", 120)
            d.execute_script("""const [w, h] = arguments; const s = studio.state();
                s.anchors = [[0.2 * w, 0.7 * h], [0.5 * w, 0.8 * h], [0.8 * w, 0.7 * h]];
                s.scaleMode = 'given'; s.pxmm = w / 200; s.shape = 'rounded';
                s.area = [[0.1 * w, 0.1 * h], [0.9 * w, 0.1 * h], [0.9 * w, 0.9 * h], [0.1 * w, 0.9 * h]];""", w, h)
            d.execute_script("document.getElementById('density').dispatchEvent(new Event('input'))")
            settle(d, "the preview with the hairline", 120)
            drawn = d.execute_script("return studio.viewWidth ? studio.viewWidth() : null")
            times = []
            for i in range(22):
                t = d.execute_async_script(DRAG, 6 if i % 2 == 0 else -6, 4 if i % 2 == 0 else -4)
                if isinstance(t, str):
                    fail("%s: no preview after a move: %s" % (photo, t))
                    break
                times.append(t)
            times = times[2:]  # the first two warm the browser's and the studio's caches
            if times:
                print("STUDIO %s %dx%d shown %s px wide: %d drags, median %.0f ms, p95 %.0f ms" %
                      (os.path.basename(photo), w, h, drawn, len(times), pct(times, 50), pct(times, 95)), flush=True)
    finally:
        d.quit()
        studio.stop()
        shutil.rmtree(work, ignore_errors=True)
    return 1 if failures else 0


def main():
    if len(sys.argv) < 4 or sys.argv[1] not in ("test", "bench"):
        print(__doc__)
        return 2
    smpsim = os.path.abspath(sys.argv[2])
    try:
        if sys.argv[1] == "test":
            return run_test(smpsim, os.path.abspath(sys.argv[3]), os.path.abspath(sys.argv[4]))
        return run_bench(smpsim, sys.argv[3:])
    except (TimeoutError, RuntimeError, WebDriverException, subprocess.CalledProcessError) as e:
        fail("%s: %s" % (type(e).__name__, str(e).splitlines()[0] if str(e) else ""))
        return 1


if __name__ == "__main__":
    sys.exit(main())
