import type { Random } from './random.ts'

/**
 * Synthetic personal data: plausible Chinese names, mobile numbers and rural addresses. Every value is
 * drawn from the seeded generator, so no real person's data is ever in the mock township.
 */

// The commonest surnames, roughly by frequency (王李张刘陈 cover about 30 % of Chinese people).
const SURNAMES = '王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤'
const GIVEN = '伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华红玉兰建国建华志强国平春梅海燕文德永福金凤德华宏伟新民双喜小红春花冬梅桂香志勇俊杰浩然子轩欣怡雨涵'
// Mobile number prefixes of the three carriers.
const PREFIXES = ['130', '131', '132', '133', '135', '136', '137', '138', '139', '150', '151', '152', '153', '155', '157', '158', '159', '166', '173', '175', '176', '177', '180', '181', '182', '183', '185', '186', '187', '188', '189', '191', '198', '199']

/** A Chinese full name: a surname (frequency-weighted) and one or two given-name characters. */
export function personName(rng: Random): string {
  // Squaring a uniform deviate favours the commoner surnames at the front of the list.
  const u = rng.next()
  const surname = SURNAMES[Math.floor(u * u * SURNAMES.length)]!
  const first = GIVEN[rng.int(0, GIVEN.length - 1)]!
  return rng.chance(0.7) ? surname + first + GIVEN[rng.int(0, GIVEN.length - 1)]! : surname + first
}

/** An 11-digit mainland mobile number. */
export function mobilePhone(rng: Random): string {
  let digits = rng.pick(PREFIXES)
  for (let i = 0; i < 8; i++)
    digits += String(rng.int(0, 9))
  return digits
}

/** A rural household address: village, group (村民小组) and house number. */
export function householdAddress(rng: Random, villageName: string): string {
  return `${villageName}${rng.int(1, 12)}组${rng.int(1, 80)}号`
}
