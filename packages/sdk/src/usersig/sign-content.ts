/** The string TLSSigAPIv2 signs: every line ends with `\n`, numbers in plain decimal. */
export function signContent(
  identifier: string,
  sdkAppId: number,
  time: number,
  expire: number,
  userbuf?: string,
): string {
  let content = `TLS.identifier:${identifier}\nTLS.sdkappid:${sdkAppId}\nTLS.time:${time}\nTLS.expire:${expire}\n`;
  if (userbuf !== undefined) content += `TLS.userbuf:${userbuf}\n`;
  return content;
}
