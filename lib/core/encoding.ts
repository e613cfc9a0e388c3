/** Text as base64 of its UTF-8 bytes (kubeconfig `*-data` fields, PEM blocks in user data). The one `b64`. */
export function b64(text: string): string {
  return Buffer.from(text, 'utf8').toString('base64');
}
