import { truncateText } from "@modelaudit/core/detector";

const SECRET_QUERY =
  /([?&](?:token|access_token|api_key|apikey|key|secret|password|passwd|pwd|sig|signature|auth)=)[^&#]*/gi;

/**
 * Evidence for a URL: shown as found, except credentials. `user:pass@` keeps the user, and the
 * bot token of a Telegram URL, the token of a Discord webhook and secret query values are starred.
 */
export function redactUrl(url: string): string {
  let redacted = url.replace(/^([a-z][a-z0-9+.-]*:\/\/)([^/@\s]*)@/i, (_match, scheme: string, userInfo: string) => {
    const colon = userInfo.indexOf(":");
    return colon === -1 ? `${scheme}${userInfo}@` : `${scheme}${userInfo.slice(0, colon)}:***@`;
  });
  redacted = redacted
    .replace(/(api\.telegram\.org\/(?:file\/)?bot)([^/?#]+)/i, "$1***")
    .replace(/(\/api\/webhooks\/\d+\/)([^/?#]+)/i, "$1***")
    .replace(/(hooks\.slack\.com\/(?:services|workflows|triggers)\/[^/]+\/[^/]+\/)([^/?#]+)/i, "$1***")
    .replace(SECRET_QUERY, "$1***");
  return truncateText(redacted, 300);
}
