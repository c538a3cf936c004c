"""The parents' manual walked in a real browser (headless chromium driven by Selenium).

Run by Deploy/dev/browser-walk.sh against `marelle serve` with the demo association. Each step
checks the words on its buttons, runs the accessibility checks on the page (one h1, a lang
attribute, a label for every field, alt text on images) and takes a screenshot at 360 px and at
1280 px width into WALK_SHOTS. Any failed step stops the walk with a non-zero exit.
"""
import base64
import hashlib
import hmac
import json
import os
import csv
import datetime
import io
import struct
import subprocess
import sys
import time
import urllib.parse
import urllib.request
import zoneinfo

from axe_selenium_python import Axe
from selenium import webdriver
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.common.exceptions import StaleElementReferenceException, TimeoutException, WebDriverException
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.support.ui import WebDriverWait

BASE = os.environ["WALK_BASE"]           # http://demo.localhost:PORT
SHOTS = os.environ["WALK_SHOTS"]
ROOT = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
PARENT = "famille.martin@exemple.fr"
STAFF, STAFF_PASSWORD = "direction@lespetitsmalins.fr", "un soleil sur la marelle"
NEW_PASSWORD = "une nouvelle phrase pour la marelle"

A11Y = """
const problems = [];
if (!document.documentElement.lang) problems.push('no lang attribute');
const h1 = document.querySelectorAll('h1').length;
if (h1 !== 1) problems.push(h1 + ' h1');
document.querySelectorAll('img').forEach(i => { if (!i.hasAttribute('alt')) problems.push('image without alt: ' + i.src); });
document.querySelectorAll('input, select, textarea').forEach(e => {
  if (e.type === 'hidden') return;
  const labelled = (e.id && document.querySelector('label[for="' + CSS.escape(e.id) + '"]')) || e.closest('label')
    || e.getAttribute('aria-label') || e.getAttribute('aria-labelledby');
  if (!labelled) problems.push('field without label: ' + (e.name || e.outerHTML.slice(0, 80)));
});
return problems;
"""

# axe-core's WCAG 2 A and AA rules (the version the package bundles) on the whole page; its answer, or the error it raised.
AXE_RUN = """
const done = arguments[arguments.length - 1];
axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa']}})
  .then(results => done({violations: results.violations}))
  .catch(error => done({error: String(error)}));
"""


class Walk:
    def __init__(self):
        options = webdriver.ChromeOptions()
        for argument in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1280,900", "--lang=fr-FR"):
            options.add_argument(argument)
        # The walk reads the French pages: the browser asks for French whatever the machine's locale.
        options.add_experimental_option("prefs", {"intl.accept_languages": "fr-FR,fr"})
        options.binary_location = "/usr/bin/chromium"
        self.driver = webdriver.Chrome(options=options, service=Service("/usr/bin/chromedriver"))
        self.driver.implicitly_wait(5)
        self.driver.set_script_timeout(60)
        self.step = 0
        self.pages = set()
        self.axe_failures = []

    def go(self, path):
        self.driver.get(BASE + path)

    def check(self, name):
        """Accessibility of the page, then its screenshots at both widths."""
        self.step += 1
        WebDriverWait(self.driver, 10).until(lambda d: d.execute_script("return document.readyState") == "complete")
        problems = self.driver.execute_script(A11Y)
        if problems:
            raise AssertionError(f"{name} ({self.driver.current_url}): {problems}")
        # axe-core (WCAG 2 A and AA rules): no serious or critical violation.
        Axe(self.driver).inject()
        results = self.driver.execute_async_script(AXE_RUN)
        if "error" in results:
            raise AssertionError(f"axe-core failed on {name}: {results['error']}")
        serious = [v for v in results["violations"] if v["impact"] in ("serious", "critical")]
        if serious:
            details = [f"{v['id']}: {v['help']} ({[n['target'] for n in v['nodes'][:3]]})" for v in serious]
            self.axe_failures.append(f"{name} ({self.driver.current_url}): {details}")
        self.pages.add(self.driver.current_url.split("?")[0])
        for width, height in ((1280, 900), (360, 740)):
            self.driver.set_window_size(width, height)
            self.driver.save_screenshot(os.path.join(SHOTS, f"{self.step:02d}-{name}-{width}.png"))
        self.driver.set_window_size(1280, 900)

    def button(self, text):
        """The submit button (or link styled as one) whose words are exactly `text`."""
        for element in self.driver.find_elements(By.CSS_SELECTOR, "button, a.button, input[type=submit]"):
            if element.text.strip() == text:
                return element
        raise AssertionError(f"no button « {text} » on {self.driver.current_url}")

    def follow(self, element):
        """Clicks what leads to another page and waits until the old one is gone."""
        element.click()
        self.wait_gone(element)

    def wait_gone(self, element):
        """Until `element`'s page is replaced: chromedriver says so with a stale reference or,
        mid-navigation, with "node does not belong to the document"."""
        def gone(_):
            try:
                element.is_enabled()
                return False
            except (StaleElementReferenceException, WebDriverException):
                return True
        WebDriverWait(self.driver, 10).until(gone)

    def press(self, text):
        self.follow(self.button(text))

    def expect_text(self, text):
        """Waits (10 s at most) for the page a click led to, then for `text` on it."""
        try:
            WebDriverWait(self.driver, 10, ignored_exceptions=[StaleElementReferenceException]).until(
                lambda d: text in d.find_element(By.TAG_NAME, "body").text)
        except TimeoutException:
            raise AssertionError(f"« {text} » not on {self.driver.current_url}") from None

    def keyboard_submit(self, button_text):
        """Tab from the focused field to the button and press Enter: no mouse."""
        target = self.button(button_text)
        for _ in range(60):
            active = self.driver.switch_to.active_element
            if active == target:
                active.send_keys(Keys.ENTER)
                self.wait_gone(target)
                return
            active.send_keys(Keys.TAB)
        raise AssertionError(f"« {button_text} » cannot be reached with the keyboard")

    def login(self, email, password, keyboard=False):
        self.go("/login")
        self.check("connexion")
        self.driver.find_element(By.ID, "email").send_keys(email)
        field = self.driver.find_element(By.ID, "password")
        field.send_keys(password)
        if keyboard:
            self.keyboard_submit("Se connecter")
        else:
            self.press("Se connecter")
        if "/traitement-des-donnees" in self.driver.current_url:
            self.driver.find_element(By.NAME, "accept").click()
            self.check("traitement-des-donnees")
            self.follow(self.driver.find_element(By.XPATH, "//input[@name='accept']/ancestor::form//button[@type='submit']"))
        if "/login" in self.driver.current_url:
            raise AssertionError(f"login of {email} refused")

    def logout(self):
        self.follow(self.driver.find_element(By.CSS_SELECTOR, "form[action='/logout'] button"))

    def mail(self, to):
        """The first message of the dev mailbox's list to `to`."""
        host = BASE.split("//")[1]
        request = urllib.request.Request(BASE.replace(host.split(":")[0], "127.0.0.1") + "/_dev/mail.json",
                                         headers={"Host": host})
        for message in json.load(urllib.request.urlopen(request)):
            if message["to"] == to:
                return message
        raise AssertionError(f"no mail to {to}")

    def mail_link(self, to):
        for word in self.mail(to)["body"].split():
            if word.startswith("http") and "jeton" in word or word.startswith("http") and "mot-de-passe" in word:
                return word
        raise AssertionError(f"no link mailed to {to}")

    def switch_language(self, lang, expected):
        """The footer's switch (a link for visitors, a form button once signed in), then the
        page's `html lang` and a text of the other language."""
        footer = self.driver.find_element(By.CSS_SELECTOR, "footer.site")
        self.follow(footer.find_element(By.CSS_SELECTOR, f"a[hreflang={lang}], button[lang={lang}]"))
        self.expect_text(expected)
        if self.driver.find_element(By.TAG_NAME, "html").get_attribute("lang") != lang:
            raise AssertionError(f"html lang is not {lang} on {self.driver.current_url}")


def totp(secret, step_offset=0):
    """The code an authenticator app shows for `secret` (RFC 6238, SHA-1, 6 digits, 30 s)."""
    key = secret.replace(" ", "").upper()
    key = base64.b32decode(key + "=" * (-len(key) % 8))
    step = int(time.time()) // 30 + step_offset
    digest = hmac.new(key, struct.pack(">Q", step), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    return "%06d" % ((struct.unpack(">I", digest[offset:offset + 4])[0] & 0x7FFFFFFF) % 1_000_000)


def pdf_file():
    path = os.path.join(SHOTS, "..", "attestation.pdf")
    with open(path, "wb") as f:
        f.write(b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\n"
                b"trailer << /Root 1 0 R >>\n%%EOF\n")
    return os.path.abspath(path)


def paris_today():
    return datetime.datetime.now(zoneinfo.ZoneInfo("Europe/Paris")).date()


def local(url):
    """`url` of the demo host, asked of 127.0.0.1 with the Host header (no DNS for *.localhost)."""
    host = BASE.split("//")[1]
    return BASE.replace(host.split(":")[0], "127.0.0.1") + url, host


def api(method, path, token=None, body=None):
    url, host = local("/api/v1" + path)
    headers = {"Host": host, "Content-Type": "application/json"}
    if token:
        headers["Authorization"] = "Bearer " + token
    data = json.dumps(body).encode() if body is not None else None
    with urllib.request.urlopen(urllib.request.Request(url, data=data, headers=headers, method=method)) as answer:
        text = answer.read()
        return json.loads(text) if text else None


def download(walk, path, form=None):
    """`path` fetched with the browser's session, as its download would be (a POST of `form`
    when given, as a download button sends it): (content type, bytes)."""
    cookie = "; ".join(f"{c['name']}={c['value']}" for c in walk.driver.get_cookies())
    url, host = local(path)
    headers = {"Host": host, "Cookie": cookie}
    data = None
    if form is not None:
        headers.update({"Sec-Fetch-Site": "same-origin", "Content-Type": "application/x-www-form-urlencoded"})
        data = urllib.parse.urlencode(form).encode()
    with urllib.request.urlopen(urllib.request.Request(url, data=data, headers=headers)) as answer:
        return answer.headers.get("Content-Type"), answer.read()


def pdf_text(walk, path, name):
    """The PDF at `path`, kept beside the screenshots and read back with poppler's pdftotext."""
    kind, raw = download(walk, path)
    if kind != "application/pdf" or not raw.startswith(b"%PDF-"):
        raise AssertionError(f"{path} is not a PDF: {kind}")
    file = os.path.join(SHOTS, name + ".pdf")
    with open(file, "wb") as f:
        f.write(raw)
    return subprocess.run(["pdftotext", "-layout", file, "-"], check=True, capture_output=True, text=True).stdout


def form_query(form):
    """The query string a GET form sends with its current values."""
    fields = form.find_elements(By.CSS_SELECTOR, "input[name], select[name]")
    return urllib.parse.urlencode({f.get_attribute("name"): f.get_attribute("value") for f in fields})


def set_value(driver, field, value):
    """Date and time fields take their value as the page would send it, whatever the locale's
    way of typing them."""
    driver.execute_script("arguments[0].value = arguments[1]", field, value)


def select_option(select, words):
    for option in select.find_elements(By.TAG_NAME, "option"):
        if words in option.text:
            option.click()
            return
    raise AssertionError(f"no option « {words} »")


def invoicing(walk, month):
    """The director invoices a month (preview, then issue), records a cheque for part of the
    Martins' invoice, and turns online payment on (the fake provider of development)."""
    d = walk.driver
    walk.go(f"/gestion/facturation?mois={month}")
    walk.check("facturation-apercu")
    walk.expect_text("Aperçu avant émission")
    walk.press("Émettre les factures")
    walk.expect_text("facture(s) émise(s)")
    walk.check("facturation-emises")
    walk.follow(d.find_element(By.XPATH, "//a[contains(@href, '/compte') and contains(., 'Martin')]"))
    walk.check("compte-famille")
    select_option(d.find_element(By.ID, "method"), "chèque")
    d.find_element(By.ID, "reference").send_keys("0012345")
    d.find_element(By.ID, "amount").send_keys("1")
    walk.press("Enregistrer le paiement")
    walk.expect_text("Paiement enregistré")
    walk.expect_text("Paiement (chèque)")
    walk.expect_text("partiellement payée")
    walk.go("/gestion/facturation")
    walk.follow(d.find_element(By.LINK_TEXT, "Paiement en ligne"))
    walk.check("paiement-en-ligne-reglages")
    select_option(d.find_element(By.ID, "provider"), "Fictif")
    walk.press("Enregistrer")
    walk.expect_text("Réglages du paiement en ligne enregistrés")


def parent_invoices(walk):
    """Mes factures: the invoice the director issued and paid in part, the rest paid online with
    the fake provider, then the statement, the receipts and the certificates."""
    d = walk.driver
    walk.follow(d.find_element(By.LINK_TEXT, "Mes factures"))
    walk.check("mes-factures")
    walk.expect_text("partiellement payée")
    walk.follow(d.find_element(By.CSS_SELECTOR, "form[action='/mes-factures/payer'] button"))
    walk.check("prestataire-fictif")
    walk.expect_text("Prestataire de paiement fictif")
    walk.press("Payer")
    walk.expect_text("Paiement reçu")
    walk.check("paiement-recu")
    walk.follow(d.find_element(By.LINK_TEXT, "Retour à mes factures"))
    walk.expect_text("payée")
    walk.expect_text("Paiement (paiement en ligne)")
    walk.expect_text("Paiement (chèque)")
    walk.expect_text("Attestations")
    # The cheque's receipt from the statement, the certificates from their forms.
    receipt = d.find_element(
        By.XPATH, "//tr[td[contains(., 'Paiement (chèque)')]]//a[starts-with(@href, '/mes-factures/recus/')]")
    number = receipt.text
    text = pdf_text(walk, urllib.parse.urlparse(receipt.get_attribute("href")).path, "recu")
    if number not in text or "chèque · 0012345" not in text:
        raise AssertionError(f"the receipt PDF lacks {number} or the cheque: {text[:400]}")
    presence = d.find_element(By.CSS_SELECTOR, "form[action$='/attestation-presence']")
    text = pdf_text(walk, "/mes-factures/attestation-presence?" + form_query(presence), "attestation-presence")
    if "Attestation de présence" not in text or "Jours" not in text:
        raise AssertionError(f"the attendance certificate: {text[:400]}")
    statement = d.find_element(By.LINK_TEXT, "Télécharger le relevé (CSV)").get_attribute("href")
    _, raw = download(walk, urllib.parse.urlparse(statement).path)
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig")), delimiter=";"))
    if rows[0][:3] != ["Date", "Opération", "Numéro"] or not any(r[1] == "Paiement (chèque)" for r in rows[1:]):
        raise AssertionError(f"the statement CSV: {rows[:3]}")
    year = paris_today().year
    text = pdf_text(walk, f"/mes-factures/attestation-fiscale?annee={year}", "attestation-fiscale")
    if f"Attestation fiscale {year}" not in text:
        raise AssertionError(f"the tax certificate: {text[:400]}")
    walk.follow(d.find_element(By.CSS_SELECTOR, "a[href^='/mes-factures/']"))
    walk.check("facture")
    walk.expect_text("Reste à payer")
    # The invoice's PDF says what the page says: its number, its total, what is left to pay.
    title = d.find_element(By.TAG_NAME, "h1").text
    total = d.find_element(By.CSS_SELECTOR, "tfoot strong").text
    link = d.find_element(By.LINK_TEXT, "Télécharger le PDF").get_attribute("href")
    text = pdf_text(walk, urllib.parse.urlparse(link).path, "facture")
    if title not in text or total not in text or "Reste à payer" not in text:
        raise AssertionError(f"the invoice PDF lacks « {title} » or {total}: {text[:400]}")


def direct_debit(walk, month):
    """The director sets the association up as creditor; the Martins sign a direct-debit mandate
    online (a wrong IBAN first); the director invoices the month of her phone booking, builds the
    batch and downloads its pain.008 file, which passes xmllint with the schema shipped in the
    repository. Starts with the parent signed in, ends with the director."""
    d = walk.driver
    walk.logout()
    walk.login(STAFF, STAFF_PASSWORD)
    walk.go("/gestion/facturation")
    walk.follow(d.find_element(By.LINK_TEXT, "Prélèvements SEPA"))
    walk.check("prelevements-creancier")
    d.find_element(By.ID, "identifier").send_keys("FR72ZZZ123456")
    d.find_element(By.ID, "iban").send_keys("FR7630004000031234567890143")
    d.find_element(By.ID, "bic").send_keys("BNPAFRPP")
    walk.press("Enregistrer")
    walk.expect_text("Coordonnées du créancier enregistrées")
    walk.logout()
    walk.login(PARENT, NEW_PASSWORD)
    walk.go("/mes-factures")
    walk.follow(d.find_element(By.LINK_TEXT, "Prélèvement automatique"))
    walk.check("mandat-prelevement")
    for iban, answer in (("FR76 3000 6000 0112 3456 7890 188", "clé de contrôle"), ("FR76 3000 6000 0112 3456 7890 189", "Mandat signé")):
        for field, value in (("debtorName", "Claire Martin"), ("iban", iban), ("bic", "BNPAFRPP")):
            d.find_element(By.ID, field).clear()
            d.find_element(By.ID, field).send_keys(value)
        d.find_element(By.NAME, "agree").click()
        walk.press("Signer le mandat")
        walk.expect_text(answer)
    walk.expect_text("FR76 •••• 0189")
    walk.check("mandat-signe")
    walk.logout()
    walk.login(STAFF, STAFF_PASSWORD)
    walk.go(f"/gestion/facturation?mois={month}")
    walk.press("Émettre les factures")
    walk.expect_text("facture(s) émise(s)")
    walk.go("/gestion/prelevements")
    # After the invoices' due date (30 days from today).
    set_value(d, d.find_element(By.ID, "collectionDate"), (paris_today() + datetime.timedelta(days=35)).isoformat())
    walk.press("Préparer le lot")
    walk.expect_text("Prélèvements du lot")
    walk.expect_text("Martin")
    walk.check("lot-prelevements")
    form = d.find_element(By.CSS_SELECTOR, "form[action$='/fichier']")
    fields = {"_csrf": form.find_element(By.NAME, "_csrf").get_attribute("value"), "version": "pain.008.001.08"}
    kind, xml = download(walk, urllib.parse.urlparse(form.get_attribute("action")).path, fields)
    if not kind.startswith("application/xml") or b"<CstmrDrctDbtInitn>" not in xml:
        raise AssertionError(f"the direct-debit file: {kind} {xml[:200]}")
    file = os.path.join(SHOTS, "prelevements.pain.008.001.08.xml")
    with open(file, "wb") as f:
        f.write(xml)
    schema = os.path.join(ROOT, "Sources/MarelleSEPA/Schemas/pain.008.001.08.xsd")
    subprocess.run(["xmllint", "--noout", "--nonet", "--schema", schema, file], check=True, capture_output=True)
    d.refresh()
    walk.expect_text("envoyé à la banque")
    walk.check("lot-envoye")


def director_day(walk):
    """The director's day (issue 16): her home, a booking for a family, a refusal that needs its
    reason, Présences printed and ticked, an unexpected child, a place given by hand from a
    waiting list, and the four CSV exports."""
    d = walk.driver
    walk.go("/")
    if not d.current_url.rstrip("/").endswith("/gestion"):
        raise AssertionError(f"the direction's home is {d.current_url}")
    walk.check("tableau-de-bord")
    walk.expect_text("demande(s) à traiter")
    today = paris_today()
    # Booking for the Martins on the phone: Léa, the last two weeks, past the deadline (direction).
    walk.go("/gestion/familles?q=Martin")
    walk.follow(d.find_element(By.LINK_TEXT, "Martin"))
    walk.check("famille")
    select_option(d.find_element(By.ID, "reserver-enfant"), "Léa")
    select_option(d.find_element(By.ID, "reserver-activite"), "PS MATIN TOUS")
    for field, day in (("reserver-du", today - datetime.timedelta(days=13)), ("reserver-au", today - datetime.timedelta(days=1))):
        set_value(d, d.find_element(By.ID, field), day.isoformat())
    d.find_element(By.NAME, "outrepasser").click()
    walk.press("Réserver")
    walk.expect_text("demandée(s)")
    # À traiter: refusing without a reason is refused; then everything is validated.
    walk.go("/gestion/a-traiter?tout=1")
    walk.press("Refuser la sélection")
    walk.expect_text("Indiquez le motif du refus")
    walk.go("/gestion/a-traiter?tout=1")
    walk.press("Valider la sélection")
    walk.expect_text("ligne(s) traitée(s)")
    # Présences: the latest past day Léa is on, with her allergy.
    for back in range(1, 14):
        day = (today - datetime.timedelta(days=back)).isoformat()
        walk.go(f"/gestion/presences?jour={day}")
        if "Allergies : Arachide" in d.find_element(By.TAG_NAME, "body").text:
            break
    else:
        raise AssertionError("Léa is on no list of the last two weeks")
    walk.check("presences")
    row = d.find_element(By.XPATH, "//tr[.//strong[contains(., 'Léa')]]")
    row_id = row.get_attribute("id")
    # The printable version, printed to PDF by chromium (kept with the screenshots).
    walk.go(f"/gestion/presences?jour={day}&impression=1")
    walk.check("presences-impression")
    walk.expect_text("Signature")
    pdf = base64.b64decode(d.execute_cdp_cmd("Page.printToPDF", {"paperWidth": 8.27, "paperHeight": 11.69})["data"])
    if not pdf.startswith(b"%PDF"):
        raise AssertionError("the printed Présences is not a PDF")
    with open(os.path.join(SHOTS, "presences.pdf"), "wb") as f:
        f.write(pdf)
    # The tablet: arrival, then departure with who came.
    walk.go(f"/gestion/presences?jour={day}")
    row = d.find_element(By.ID, row_id)
    set_value(d, row.find_element(By.CSS_SELECTOR, "input[name=heure]"), "07:40")
    walk.follow([b for b in row.find_elements(By.TAG_NAME, "button") if b.text.strip() == "Arrivé"][0])
    row = d.find_element(By.ID, row_id)
    if "7h40" not in row.text:
        raise AssertionError(f"arrival not shown: {row.text}")
    departure = row.find_element(By.XPATH, ".//form[.//input[@value='depart']]")
    departure.find_element(By.NAME, "venu_par").send_keys("Claire Martin")
    set_value(d, departure.find_element(By.NAME, "heure"), "08:25")
    walk.follow(departure.find_element(By.TAG_NAME, "button"))
    walk.expect_text("avec Claire Martin")
    walk.check("presences-pointees")
    # A child who came without a booking.
    section = d.find_element(By.XPATH, f"//section[.//tr[@id='{row_id}']]")
    unexpected = section.find_element(By.CSS_SELECTOR, "form[action$='imprevu']")
    select_option(unexpected.find_element(By.NAME, "enfant"), "Inès")
    set_value(d, unexpected.find_element(By.NAME, "heure"), "07:50")
    walk.follow(unexpected.find_element(By.TAG_NAME, "button"))
    walk.expect_text("non prévu")
    # A waiting list: an activity of one place, two families booked through the API.
    token = api("POST", "/auth/login", body={"email": STAFF, "password": STAFF_PASSWORD})["token"]
    period = [p for p in api("GET", "/periods", token) if p["kind"] == "school_year"][0]["id"]
    activity = api("POST", "/activities", token, {
        "name": "ATELIER THÉÂTRE (17h-18h)", "startsAt": "17:00", "endsAt": "18:00", "levels": [], "capacity": 1,
        "weekdays": [1, 2, 3, 4, 5], "validationMode": "manual", "bookingDeadline": {"daysBefore": 1, "time": "10:00"},
        "cancellationDeadline": {"daysBefore": 1, "time": "10:00"}, "periodIds": [period], "price": {"flatCents": 300}})["id"]
    days = [(today + datetime.timedelta(days=n)).isoformat() for n in range(14, 21)]
    for family in api("GET", "/families", token)[:2]:
        child = api("GET", f"/families/{family['id']}", token)["children"][0]["id"]
        api("POST", f"/families/{family['id']}/bookings", token, {"childId": child, "activityId": activity, "days": days})
    walk.go(f"/gestion/attente?activite={activity}")
    walk.check("listes-d-attente")
    walk.press("Attribuer une place")
    walk.expect_text("Place attribuée")
    # One of the Martins' waiting lines removed with a reason (the parent sees it below).
    martin = [f for f in api("GET", "/families", token) if f["name"] == "Martin"][0]["id"]
    lines = [l for l in api("GET", f"/waiting-list?activity={activity}", token) if l["familyId"] == martin]
    api("POST", f"/waiting-list/{lines[-1]['id']}/removal", token, {"reason": "Atelier réservé aux grands"})
    # The four exports, downloaded with the session and read as a French spreadsheet would.
    walk.go("/gestion/exports")
    walk.check("exports")
    first, last = (today - datetime.timedelta(days=20)).isoformat(), (today + datetime.timedelta(days=30)).isoformat()
    for name, query, header in (("bookings", f"from={first}&to={last}", "N° réservation"),
                                ("attendance", f"from={first}&to={last}", "Arrivée"),
                                ("amounts", f"from={first}&to={last}", "Montant (€)"),
                                ("caf-hours", "month=" + day[:7], "Heures")):
        _, raw = download(walk, f"/gestion/exports/{name}.csv?{query}")
        if not raw.startswith(b"\xef\xbb\xbf"):
            raise AssertionError(f"{name}.csv has no byte order mark")
        rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig")), delimiter=";"))
        if header not in rows[0] or len(rows) < 2:
            raise AssertionError(f"{name}.csv: {rows[:2]}")
        with open(os.path.join(SHOTS, f"{name}.csv"), "wb") as f:
            f.write(raw)
    return days[0], day


def parent_states(walk, coming, past):
    """What a parent sees (issue 17): the home page's list, a waiting line with its rank and
    taken back, a refused date with its reason, a past date no longer cancellable."""
    d = walk.driver
    walk.go("/")
    walk.check("accueil-pour-vous")
    walk.expect_text("Prochaines dates")
    # A full date of the one-place workshop, ticked for Léa: the Résumé and the answer say it
    # goes on the waiting list.
    walk.go("/inscription/participants")
    d.find_element(By.XPATH, "//label[contains(., 'Léa')]/input[@type='checkbox']").click()
    walk.press("Suivant")
    d.find_element(By.XPATH, "//fieldset[contains(., 'Léa')]//label[contains(., 'ATELIER THÉÂTRE')]/input").click()
    walk.press("Suivant")
    for _ in range(3):
        full = d.find_elements(By.CSS_SELECTOR, "td.full input[type=checkbox]")
        if full:
            break
        walk.follow(d.find_element(By.CSS_SELECTOR, "button[aria-label='Mois suivant']"))
    else:
        raise AssertionError("no full date of the workshop")
    walk.check("etape-3-complet")
    full[0].click()
    walk.press("Suivant")
    walk.expect_text("complet : liste d'attente")
    walk.press("Valider")
    walk.expect_text("sur liste d'attente")
    walk.check("demande-liste-d-attente")
    walk.go("/mon-calendrier?mois=" + coming[:7])
    walk.check("mon-calendrier-attente")
    walk.expect_text("sur la liste d'attente")
    walk.expect_text("motif : retirée de la liste d'attente : Atelier réservé aux grands")
    d.find_element(By.CSS_SELECTOR, "input[name=retraits]").click()
    walk.press("Retirer les demandes cochées")
    walk.expect_text("Mon calendrier")
    walk.go("/mon-calendrier?mois=" + past[:7])
    walk.check("mon-calendrier-passe")
    walk.expect_text("plus annulable")


def main():
    os.makedirs(SHOTS, exist_ok=True)
    walk = Walk()
    d = walk.driver
    try:
        # The accessibility statement, from the footer.
        walk.go("/")
        walk.follow(d.find_element(By.PARTIAL_LINK_TEXT, "Accessibilité"))
        walk.check("accessibilite")
        walk.expect_text("partiellement conforme")
        # Mot de passe oublié in English (the footer's switch), through the captured e-mail's
        # link: the pages and the mail in English; then back to French for the rest of the walk.
        walk.go("/login")
        walk.switch_language("en", "Forgotten password")
        walk.follow(d.find_element(By.LINK_TEXT, "Forgotten password"))
        walk.check("forgotten-password-en")
        d.find_element(By.ID, "email").send_keys(PARENT)
        walk.press("Send the link")
        mail = walk.mail(PARENT)
        if not mail["body"].startswith("Hello,") or "reset" not in mail["subject"].lower():
            raise AssertionError(f"the reset mail is not in English: {mail['subject']}")
        d.get(walk.mail_link(PARENT))
        walk.check("new-password-en")
        d.find_element(By.ID, "password").send_keys(NEW_PASSWORD)
        d.find_element(By.ID, "confirmation").send_keys(NEW_PASSWORD)
        walk.press("Validate")
        walk.expect_text("Your password has been changed")
        walk.switch_language("fr", "Mot de passe oublié")
        # Connexion, keyboard only.
        walk.login(PARENT, NEW_PASSWORD, keyboard=True)
        walk.check("accueil-parent")
        # Signed in, the switch is a form: the home page in English, then back.
        walk.switch_language("en", "My account")
        walk.check("home-en")
        walk.switch_language("fr", "Mon compte")
        # Mon compte: a child's card, edited, with the two boxes.
        walk.go("/mon-compte")
        walk.check("mon-compte")
        walk.follow(d.find_element(By.CSS_SELECTOR, "a.edit[aria-label*='Léa']"))
        walk.check("modifier-enfant")
        allergies = d.find_element(By.ID, "allergies")
        allergies.clear()
        allergies.send_keys("Arachide, kiwi")
        for name in ("certify", "acceptPrivacy"):
            box = d.find_element(By.NAME, name)
            if not box.is_selected():
                box.click()
        walk.press("Valider")
        walk.expect_text("Arachide, kiwi")
        # Transmettre des documents: a real PDF.
        walk.go("/documents")
        walk.check("documents")
        kind = d.find_element(By.ID, "kind")
        kind.find_elements(By.TAG_NAME, "option")[1].click()
        d.find_element(By.ID, "document").send_keys(pdf_file())
        walk.press("Envoyer")
        walk.expect_text("attestation")
        # Inscription in four steps, keyboard only for the first, then Valider.
        walk.go("/inscription")
        walk.check("inscription")
        walk.press("S'inscrire")
        walk.check("etape-1-participants")
        box = d.find_element(By.XPATH, "//label[contains(., 'Léa')]/input[@type='checkbox']")
        box.send_keys(Keys.SPACE)
        walk.keyboard_submit("Suivant")
        walk.check("etape-2-activites")
        d.find_elements(By.CSS_SELECTOR, "input[name=choix]")[0].click()
        walk.press("Suivant")
        walk.check("etape-3-planning")
        legend = {cls: d.find_element(By.CSS_SELECTOR, f".legend .cell.{cls}").value_of_css_property("background-color")
                  for cls in ("basket", "validated", "waiting")}
        expected = {"basket": "rgba(67, 179, 107, 1)", "validated": "rgba(59, 125, 221, 1)", "waiting": "rgba(242, 165, 65, 1)"}
        if legend != expected:
            raise AssertionError(f"legend colours {legend}, expected {expected}")
        def next_month():
            walk.follow(d.find_element(By.CSS_SELECTOR, "button[aria-label='Mois suivant']"))

        def free_dates():
            for _ in range(4):
                free = d.find_elements(By.CSS_SELECTOR, "td.free input[type=checkbox]")
                if free:
                    return free
                next_month()
            raise AssertionError("no free date in four months")
        # A date ticked in one month, then › (the tick goes to the basket), a date of the next
        # month: both reach the Résumé together.
        free = free_dates()
        booked_day = free[0].get_attribute("aria-label").split()[0]
        free[0].click()
        next_month()
        walk.check("etape-3-mois-suivant")
        second = free_dates()[0]
        second_day = second.get_attribute("aria-label").split()[0]
        second.click()
        if not second.is_selected():
            raise AssertionError(f"{second_day} could not be ticked")
        walk.press("Suivant")
        walk.check("etape-4-resume")
        for header in ("Nom", "Période", "Tarif", "Type"):
            walk.expect_text(header)
        for words in ("Vider le panier", "Nouvelle inscription", "Valider"):
            walk.button(words)
        walk.expect_text("+ inscription")
        for day in (booked_day, second_day):
            year, month, dom = day.split("-")
            walk.expect_text(f"{dom}/{month}/{year[2:]}")
        walk.press("Valider")
        walk.check("demande-envoyee")
        walk.logout()
        # The direction validates the request.
        walk.login(STAFF, STAFF_PASSWORD)
        walk.go("/gestion/a-traiter")
        walk.check("a-traiter")
        for box in d.find_elements(By.CSS_SELECTOR, "input[name=lignes]"):
            if not box.is_selected():
                box.click()
        walk.press("Valider la sélection")
        walk.logout()
        # Mon calendrier: the validated date, cancelled.
        walk.login(PARENT, NEW_PASSWORD)
        walk.go("/mon-calendrier?mois=" + booked_day[:7])
        walk.check("mon-calendrier")
        walk.expect_text("validée")
        d.find_element(By.CSS_SELECTOR, "input[name=reservations]").click()
        walk.press("Annuler les dates cochées")
        walk.expect_text("- annulation")
        walk.check("panier-annulation")
        walk.press("Valider")
        walk.expect_text("annulation")
        walk.check("annulation-envoyee")
        walk.logout()
        walk.login(STAFF, STAFF_PASSWORD)
        coming, past = director_day(walk)
        invoicing(walk, second_day[:7])
        walk.logout()
        walk.login(PARENT, NEW_PASSWORD)
        parent_states(walk, coming, past)
        parent_invoices(walk)
        direct_debit(walk, (paris_today() - datetime.timedelta(days=13)).isoformat()[:7])
        # The director turns on her second factor, requires it of the team, signs in with a code,
        # then with a recovery code.
        walk.logout()
        walk.login(STAFF, STAFF_PASSWORD)
        walk.go("/mon-compte/double-authentification")
        walk.check("double-authentification")
        walk.press("Activer la double authentification")
        walk.check("activer-double-authentification")
        secret = d.find_element(By.CSS_SELECTOR, "code.secret").text
        d.find_element(By.ID, "code").send_keys(totp(secret))
        walk.press("Activer")
        walk.check("codes-de-secours")
        recovery = [e.text for e in d.find_elements(By.CSS_SELECTOR, ".recovery-codes code")]
        if len(recovery) != 10:
            raise AssertionError(f"{len(recovery)} recovery codes shown")
        walk.press("Continuer")
        walk.go("/gestion/association")
        d.find_element(By.ID, "sf-required").click()
        walk.follow(d.find_element(By.CSS_SELECTOR, "form[action$='double-authentification'] button[type=submit]"))
        walk.expect_text("Modifications enregistrées")
        walk.logout()
        for code in (totp(secret, 1), recovery[0]):
            walk.go("/login")
            d.find_element(By.ID, "email").send_keys(STAFF)
            d.find_element(By.ID, "password").send_keys(STAFF_PASSWORD)
            walk.press("Se connecter")
            walk.check("code-de-verification")
            d.find_element(By.ID, "code").send_keys(code)
            walk.press("Valider")
            if "/login" in d.current_url:
                raise AssertionError(f"second factor {code[:3]}… refused")
            walk.logout()
        if walk.axe_failures:
            raise AssertionError("axe-core:\n" + "\n".join(walk.axe_failures))
        print(f"walk passed: {walk.step} steps, {len(walk.pages)} pages checked with axe-core, screenshots in {SHOTS}")
    except Exception:
        d.save_screenshot(os.path.join(SHOTS, "failure.png"))
        print(f"walk failed at {d.current_url}:\n{d.find_element(By.TAG_NAME, 'body').text[:600]}", file=sys.stderr)
        raise
    finally:
        d.quit()


if __name__ == "__main__":
    main()
