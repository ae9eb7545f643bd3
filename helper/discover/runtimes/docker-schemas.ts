import { z } from 'zod';

/**
 * The few fields netloom reads from Docker's Engine API (v1.41, Docker 20.10; later versions
 * add fields, never remove these). Everything else is ignored; zod checks the shape at the door.
 */

const Endpoint = z.object({
  NetworkID: z.string().optional().default(''),
  IPAddress: z.string().optional().default(''),
  IPPrefixLen: z.number().optional().default(0),
  Gateway: z.string().optional().default(''),
  MacAddress: z.string().optional().default(''),
});
export type DockerEndpoint = z.infer<typeof Endpoint>;

const Networks = z.record(z.string(), Endpoint).nullable().optional();

/** GET /containers/json (running containers). */
export const DockerContainerSummary = z.object({
  Id: z.string(),
  Names: z.array(z.string()).nullable().optional(),
  Image: z.string().optional().default(''),
  NetworkSettings: z.object({ Networks }).nullable().optional(),
});
export const DockerContainerList = z.array(DockerContainerSummary);
export type DockerContainerSummary = z.infer<typeof DockerContainerSummary>;

const PortBinding = z.object({ HostIp: z.string().optional().default(''), HostPort: z.string().optional().default('') });

/** GET /containers/{id}/json. */
export const DockerContainerInspect = z.object({
  Id: z.string(),
  Name: z.string(),
  State: z.object({ Pid: z.number().int(), Running: z.boolean().optional() }),
  Config: z.object({ Image: z.string().optional().default('') }).nullable().optional(),
  NetworkSettings: z.object({ Networks }).nullable().optional(),
  HostConfig: z.object({ PortBindings: z.record(z.string(), z.array(PortBinding).nullable()).nullable().optional() }).nullable().optional(),
});
export type DockerContainerInspect = z.infer<typeof DockerContainerInspect>;

/** GET /networks. */
export const DockerNetwork = z.object({
  Name: z.string(),
  Id: z.string(),
  Driver: z.string().optional().default(''),
  Internal: z.boolean().optional().default(false),
  EnableIPv6: z.boolean().optional().default(false),
  Options: z.record(z.string(), z.string()).nullable().optional(),
  IPAM: z
    .object({ Config: z.array(z.object({ Subnet: z.string().optional(), Gateway: z.string().optional() })).nullable().optional() })
    .nullable()
    .optional(),
});
export const DockerNetworkList = z.array(DockerNetwork);
export type DockerNetwork = z.infer<typeof DockerNetwork>;

/** One document of GET /events. */
export const DockerEvent = z.object({
  Type: z.string(),
  Action: z.string(),
  Actor: z.object({ ID: z.string(), Attributes: z.record(z.string(), z.string()).nullable().optional() }).optional(),
  time: z.number().optional(),
});
export type DockerEvent = z.infer<typeof DockerEvent>;
