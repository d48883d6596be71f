// Tells the server the browser's time zone: a cookie for visitors, and the sign-up form's
// hidden field, so that every time on the site is shown in the viewer's own zone.
const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;

// Zone names ("America/New_York") need no escaping in a cookie; anything else is ignored.
if (zone && /^[A-Za-z0-9_+\-/]+$/.test(zone)) {
  const secure = location.protocol === "https:" ? "; Secure" : "";
  document.cookie = `time_zone=${zone}; path=/; max-age=31536000; SameSite=Lax${secure}`;
  for (const field of document.querySelectorAll('input[name="time_zone"][type="hidden"]')) {
    if (!field.value) field.value = zone;
  }
}
