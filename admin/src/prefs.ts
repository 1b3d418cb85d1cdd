/** The operator's console preferences, kept in the browser: language and test/live mode. */
import { reactive, watch } from 'vue';

export type Lang = 'zh' | 'en';

function stored<T extends string>(key: string, allowed: readonly T[], fallback: T): T {
  try {
    const value = localStorage.getItem(key);
    return allowed.includes(value as T) ? (value as T) : fallback;
  } catch {
    return fallback;
  }
}

export const prefs = reactive({
  lang: stored<Lang>('paygate.lang', ['zh', 'en'], 'zh'),
  /** Which data the console shows: test (sandbox) or live. */
  mode: stored<'test' | 'live'>('paygate.mode', ['test', 'live'], 'test'),
});

watch(() => prefs.lang, (lang) => { try { localStorage.setItem('paygate.lang', lang); } catch { /* private mode */ } document.documentElement.lang = lang === 'zh' ? 'zh-CN' : 'en'; }, { immediate: true });
watch(() => prefs.mode, (mode) => { try { localStorage.setItem('paygate.mode', mode); } catch { /* private mode */ } });

export const isLive = (): boolean => prefs.mode === 'live';
