/**
 * A client that builds its form and its request from the model description, as the public Scenario plugins
 * do: it offers a model for images only when `capabilities` has `img2img`, shows a picker for a `file` input
 * of kind `image` (uploading the picked file as an asset), a select for `allowedValues`, a text box for
 * `number` (validated against min/max/step), a checkbox for `boolean`, a comma-separated text box for
 * `string_array`, and drops inputs of types it does not know. Every value leaves the form as a string.
 */
import { readFileSync } from 'node:fs';

export interface ModelInput {
  name: string;
  type: string;
  kind?: string;
  default?: unknown;
  min?: number;
  max?: number;
  step?: number;
  allowedValues?: string[];
  required?: boolean;
}

export interface Field {
  input: ModelInput;
  widget: 'image-picker' | 'select' | 'number-box' | 'checkbox' | 'list-box';
  /** What the widget holds: always text, as in a form. */
  value: string;
}

export class FormClientError extends Error {}

export class FormClient {
  constructor(private readonly base: string, private readonly auth: string) {}

  private async call(method: string, path: string, body?: unknown): Promise<any> {
    const res = await fetch(`${this.base}${path}`, {
      method,
      headers: { Authorization: this.auth, ...(body ? { 'Content-Type': 'application/json' } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    });
    const json = await res.json() as Record<string, any>;
    if (!res.ok) throw new FormClientError(`${res.status}: ${json.message ?? json.reason}`);
    return json;
  }

  /** The form of a model, or an error when the model cannot take an image. */
  async buildForm(modelId: string): Promise<Field[]> {
    const { model } = await this.call('GET', `/models/${modelId}`);
    if (!model.capabilities?.includes('img2img')) throw new FormClientError(`${modelId} is not offered for images`);
    const fields: Field[] = [];
    for (const input of model.inputs as ModelInput[]) {
      const value = input.default === undefined ? '' : Array.isArray(input.default) ? input.default.join(',') : String(input.default);
      if (input.type === 'file' && input.kind === 'image') fields.push({ input, widget: 'image-picker', value: '' });
      else if (input.type === 'string' && input.allowedValues) fields.push({ input, widget: 'select', value });
      else if (input.type === 'number') fields.push({ input, widget: 'number-box', value });
      else if (input.type === 'boolean') fields.push({ input, widget: 'checkbox', value });
      else if (input.type === 'string_array') fields.push({ input, widget: 'list-box', value });
      // Other types: no widget, not sent.
    }
    return fields;
  }

  /** The client's own check before sending, from the description only. Returns the problems found. */
  validate(fields: Field[]): string[] {
    const problems: string[] = [];
    for (const { input, widget, value } of fields) {
      if (input.required && value === '') problems.push(`${input.name} is required`);
      if (widget === 'number-box' && value !== '') {
        const n = Number(value);
        if (!Number.isFinite(n)) problems.push(`${input.name}: not a number`);
        else if ((input.min !== undefined && n < input.min) || (input.max !== undefined && n > input.max)) {
          problems.push(`${input.name}: outside ${input.min}..${input.max}`);
        } else if (input.step === 1 && !Number.isInteger(n)) problems.push(`${input.name}: not a whole number`);
      }
      if (widget === 'select' && !input.allowedValues!.includes(value)) problems.push(`${input.name}: not one of the choices`);
      if (widget === 'checkbox' && value !== 'true' && value !== 'false') problems.push(`${input.name}: not checked or unchecked`);
    }
    return problems;
  }

  /** Uploads the picked image, sends every field as text, waits for the job; returns the job and the SVG. */
  async generate(modelId: string, fields: Field[], imagePath: string): Promise<{ job: any; svg: string }> {
    const picker = fields.find((f) => f.widget === 'image-picker');
    if (!picker) throw new FormClientError('Image is required');
    const { asset } = await this.call('POST', '/assets', {
      image: `data:image/png;base64,${readFileSync(imagePath).toString('base64')}`, name: 'picked.png',
    });
    picker.value = asset.id;
    const problems = this.validate(fields);
    if (problems.length) throw new FormClientError(problems.join('; '));
    const body = Object.fromEntries(fields.map((f) => [f.input.name, f.value]));
    const { job: created } = await this.call('POST', `/generate/custom/${modelId}`, body);
    let job = created;
    const end = Date.now() + 60_000;
    while (!['success', 'failure', 'canceled'].includes(job.status)) {
      if (Date.now() > end) throw new FormClientError(`job still ${job.status}`);
      await new Promise((r) => setTimeout(r, 200));
      ({ job } = await this.call('GET', `/jobs/${created.jobId}`));
    }
    if (job.status !== 'success') throw new FormClientError(`job ${job.status}: ${job.error}`);
    const { asset: output } = await this.call('GET', `/assets/${job.metadata.assetIds[0]}`);
    const svg = await (await fetch(output.url)).text();
    return { job, svg };
  }
}
