/**
 * Kubernetes label syntax (apimachinery's validation): a policy's pod labels become both a Falco
 * condition and a network policy's selector, so they must be labels Kubernetes accepts.
 */

const dnsLabel = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const labelName = /^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;

/** Why `key: value` is not a valid Kubernetes label, or undefined when it is. */
export function invalidLabel(key: string, value: string): string | undefined {
  const slash = key.indexOf('/');
  const prefix = slash === -1 ? undefined : key.slice(0, slash);
  const name = slash === -1 ? key : key.slice(slash + 1);
  if (prefix !== undefined && (prefix.length > 253 || !prefix.split('.').every((part) => dnsLabel.test(part)))) return `the key's prefix "${prefix}" is not a DNS subdomain (lower-case letters, digits, "-" and ".")`;
  if (name.length === 0 || name.length > 63 || !labelName.test(name)) return `the key's name "${name}" must be 1 to 63 letters, digits, "-", "_" or ".", beginning and ending with a letter or digit`;
  if (value.length > 63 || (value !== '' && !labelName.test(value))) return 'the value must be at most 63 letters, digits, "-", "_" or ".", beginning and ending with a letter or digit';
  return undefined;
}

/** Whether `name` is a namespace name Kubernetes accepts (a DNS label). */
export function isNamespaceName(name: string): boolean {
  return name.length <= 63 && dnsLabel.test(name);
}
