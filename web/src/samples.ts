/**
 * The sample gallery: a few images of the repository's test corpus, each with settings that suit it, so that
 * a visitor can see what the tracer does before choosing an image of their own. web/build.mjs copies the
 * files into dist/samples/.
 */
export interface Sample {
  file: string;
  title: string;
  preset: 'bw' | 'poster' | 'photo';
  /** Parameters set on top of the preset. */
  values: Record<string, string | number | boolean>;
  credit: string;
}

export const SAMPLES: readonly Sample[] = [
  { file: 'emoji-1f34e.png', title: 'Flat art (poster)', preset: 'poster', values: {}, credit: 'Twemoji, CC-BY 4.0, © Twitter, Inc and other contributors' },
  { file: 'horse.png', title: 'Silhouette (bw)', preset: 'bw', values: {}, credit: 'scikit-image data, public domain (openclipart)' },
  { file: 'text.png', title: 'Scanned text (bw + adaptive)', preset: 'bw', values: { adaptive: true, filterSpeckle: 2 }, credit: 'scikit-image data, public domain' },
  { file: 'coffee-300.png', title: 'Photo (photo)', preset: 'photo', values: {}, credit: 'scikit-image data, Rachel Michetti, CC0' },
];
