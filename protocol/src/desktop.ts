import { z } from 'zod';

/**
 * What the desktop shell and the page say to each other besides helper traffic (bridge.ts
 * holds the channel names): menu commands, files the user saves or opens through main's
 * dialogs, the theme, the About facts and the privilege state. Main validates every request
 * with these; the preload validates every answer before the page sees it.
 */

/** Application-menu items that act on the page (File, Edit, View, Help). */
export const MenuCommand = z.enum([
  'layout.save',
  'layout.open',
  'export.png',
  'export.svg',
  'export.script',
  'edit.undo',
  'edit.redo',
  'view.zoomIn',
  'view.zoomOut',
  'view.zoomReset',
  'view.fit',
  'help.about',
  'help.shortcuts',
]);
export type MenuCommand = z.infer<typeof MenuCommand>;

export const ThemeChoice = z.enum(['system', 'light', 'dark']);
export type ThemeChoice = z.infer<typeof ThemeChoice>;

/** What is being saved decides the dialog's filter and the file's extension. */
export const FileKind = z.enum(['layout', 'png', 'svg', 'script']);
export type FileKind = z.infer<typeof FileKind>;

export const FILE_KINDS: Record<FileKind, { label: string; extension: string; mime: string }> = {
  layout: { label: 'netloom layout', extension: 'json', mime: 'application/json' },
  png: { label: 'PNG image', extension: 'png', mime: 'image/png' },
  svg: { label: 'SVG image', extension: 'svg', mime: 'image/svg+xml' },
  script: { label: 'Shell script', extension: 'sh', mime: 'text/x-shellscript' },
};

/** A suggested file name: no folders, nothing hidden, nothing a dialog would misread. */
export const SuggestedName = z
  .string()
  .min(1)
  .max(200)
  .regex(/^[A-Za-z0-9][A-Za-z0-9 ._()+-]*$/, 'a plain file name (letters, digits, space . _ ( ) + -), no folder');

export const MAX_SAVED_FILE_BYTES = 64 * 1024 * 1024;

export const SaveFileRequest = z
  .object({
    kind: FileKind,
    name: SuggestedName,
    data: z.union([z.string().max(MAX_SAVED_FILE_BYTES), z.instanceof(Uint8Array).refine((b) => b.byteLength <= MAX_SAVED_FILE_BYTES, 'at most 64 MiB')]),
  })
  .strict();
export type SaveFileRequest = z.infer<typeof SaveFileRequest>;

export const SaveFileResult = z.discriminatedUnion('status', [
  z.object({ status: z.literal('saved'), path: z.string() }),
  z.object({ status: z.literal('cancelled') }),
  z.object({ status: z.literal('failed'), message: z.string() }),
]);
export type SaveFileResult = z.infer<typeof SaveFileResult>;

export const OpenFileRequest = z.object({ kind: z.literal('layout') }).strict();
export type OpenFileRequest = z.infer<typeof OpenFileRequest>;

export const OpenFileResult = z.discriminatedUnion('status', [
  z.object({ status: z.literal('opened'), name: z.string(), text: z.string() }),
  z.object({ status: z.literal('cancelled') }),
  z.object({ status: z.literal('failed'), message: z.string() }),
]);
export type OpenFileResult = z.infer<typeof OpenFileResult>;

/** Help ▸ About: the versions of what the app is made of. */
export const AppInfo = z.object({ app: z.string(), electron: z.string(), chrome: z.string(), node: z.string(), platform: z.string() });
export type AppInfo = z.infer<typeof AppInfo>;

/**
 * The helper's privileges (DESIGN §8): `asking` while the system prompt is up (the page already
 * runs on an unprivileged helper), `privileged`/`root` once it has them, `unprivileged` after a
 * refusal (with why) until the person presses "Grant access".
 */
export const PrivilegeState = z.object({
  state: z.enum(['asking', 'privileged', 'root', 'unprivileged']),
  reason: z.string().nullable(),
});
export type PrivilegeState = z.infer<typeof PrivilegeState>;
