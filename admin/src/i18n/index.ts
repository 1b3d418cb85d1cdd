/** Chinese first, English switchable; Element Plus follows the same language. */
import { createI18n } from 'vue-i18n';
import zh from './zh';
import en from './en';
import { prefs } from '../prefs';

export const i18n = createI18n({ legacy: false, locale: prefs.lang, fallbackLocale: 'zh', messages: { zh, en } });
