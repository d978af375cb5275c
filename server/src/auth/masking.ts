/**
 * Masking of personal fields for the console (the wall never receives them at all): a name keeps its
 * first character (张三 → 张*, 欧阳娜娜 → 欧***), a phone its first three and last four digits
 * (13812341234 → 138****1234), an address only its village. A role holding `personal:reveal` may ask
 * for one field of one record in clear; that request is audited.
 */

export function maskName(name: string | null): string | null {
  if (name === null || name === '')
    return name
  const chars = [...name.trim()]
  if (chars.length <= 1)
    return '*'
  return chars[0] + '*'.repeat(chars.length - 1)
}

export function maskPhone(phone: string | null): string | null {
  if (phone === null || phone === '')
    return phone
  const digits = phone.replace(/\D/g, '')
  if (digits.length < 7)
    return '*'.repeat(digits.length)
  return `${digits.slice(0, 3)}${'*'.repeat(digits.length - 7)}${digits.slice(-4)}`
}

/** An address reduced to the village it is in (or nothing, when the village is unknown). */
export function maskAddress(_address: string | null, village: string | null): string | null {
  return village ?? null
}

/** The last four digits of a phone, for search by a reporter's phone tail. */
export function phoneTail(phone: string | null): string | null {
  if (!phone)
    return null
  const digits = phone.replace(/\D/g, '')
  return digits.length >= 4 ? digits.slice(-4) : null
}
