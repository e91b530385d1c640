/**
 * The OpenAPI 3.0 description of this app's HTTP API, served at `/api/swagger.json` for API
 * Management to import. `serverUrl` is the app's base URL including the route prefix.
 */
export function openApiDocument(serverUrl: string): object {
  const errorResponse = (description: string) => ({
    description,
    content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
  });
  const text = (description: string) => ({ type: 'string', maxLength: 256, description });
  const options = {
    reason: text('Reason of the signature (/Reason).'),
    location: text('Location of the signature (/Location).'),
    contactInfo: text('Contact information of the signer (/ContactInfo).'),
    fieldName: {
      type: 'string',
      pattern: '^[A-Za-z0-9_-]{1,64}$',
      description: 'Signature field name; a free name is chosen when it is taken. Default Seal1.',
    },
    timestamp: {
      type: 'boolean',
      default: false,
      description: 'Ask the signing service for an RFC 3161 timestamp.',
    },
    subFilter: { type: 'string', enum: ['adbe.pkcs7.detached', 'ETSI.CAdES.detached'] },
  };
  const blobName = {
    container: {
      type: 'string',
      pattern: '^[a-z0-9](?:[a-z0-9]|-(?!-)){1,61}[a-z0-9]$',
      description: 'Container name; must be in SEAL_ALLOWED_CONTAINERS.',
    },
    blob: { type: 'string', minLength: 1, maxLength: 1024, description: 'Blob name.' },
  };
  return {
    openapi: '3.0.3',
    info: {
      title: 'sealops seal-pdf API',
      version: '1.0.0',
      description:
        'Applies a digital seal to PDFs. Only the SHA-256 digest of the signed byte ranges leaves ' +
        'the app; the signing service returns a CMS signature that is embedded as an incremental ' +
        'update, so the original bytes and earlier signatures stay intact.',
    },
    servers: [{ url: serverUrl }],
    security: [{ functionKeyHeader: [] }, { functionKeyQuery: [] }],
    paths: {
      '/seal-pdf': {
        post: {
          operationId: 'sealPdf',
          summary: 'Seal a PDF: in the request (direct mode, up to 50 MB) or in Blob Storage.',
          description:
            'Direct mode: the PDF is the body (application/pdf) or base64 in JSON, and the sealed ' +
            'PDF is the answer. Storage mode: a JSON body naming a source and a destination blob; ' +
            'the source is sealed into the destination in flat memory at any size, and the answer ' +
            'describes the sealed blob. Only containers in SEAL_ALLOWED_CONTAINERS are touched. ' +
            'HTTP answers are cut at 230 s on Azure: for multi-gigabyte files use the drop folder.',
          parameters: Object.entries(options).map(([name, schema]) => ({
            name,
            in: 'query',
            required: false,
            schema,
            description: 'For application/pdf bodies; JSON bodies carry the options inline.',
          })),
          requestBody: {
            required: true,
            content: {
              'application/pdf': { schema: { type: 'string', format: 'binary' } },
              'application/json': {
                schema: {
                  oneOf: [
                    { $ref: '#/components/schemas/SealRequest' },
                    { $ref: '#/components/schemas/StorageSealRequest' },
                  ],
                },
              },
            },
          },
          responses: {
            '200': {
              description: 'The sealed PDF: the original bytes followed by the signature update.',
              headers: {
                'x-seal-key-id': {
                  description: 'Signing API key ID that made the seal.',
                  schema: { type: 'string' },
                },
              },
              content: {
                'application/pdf': { schema: { type: 'string', format: 'binary' } },
                'application/json': {
                  schema: {
                    oneOf: [
                      { $ref: '#/components/schemas/SealResponse' },
                      { $ref: '#/components/schemas/StorageSealResponse' },
                    ],
                  },
                },
              },
            },
            '400': errorResponse('Invalid request, invalid container or blob name, or not a PDF.'),
            '401': { description: 'Missing or invalid function key.' },
            '403': errorResponse('Storage mode: a container is not on the allowlist.'),
            '404': errorResponse(
              'Storage mode: the source blob or destination container is missing.',
            ),
            '409': errorResponse(
              'Storage mode: the destination exists (without overwrite), or the source or the ' +
                'destination changed while sealing; nothing was written.',
            ),
            '413': errorResponse('The PDF is larger than direct mode accepts.'),
            '415': errorResponse('Content type is neither application/pdf nor JSON.'),
            '422': errorResponse('The PDF is damaged or encrypted.'),
            '502': errorResponse(
              'The signing service refused the key or answered badly, or Blob Storage refused ' +
                "the app's identity.",
            ),
            '503': errorResponse('The signing service or Blob Storage is unavailable.'),
            '504': errorResponse('The signing service did not answer in time.'),
          },
        },
      },
      '/health': {
        get: {
          operationId: 'health',
          summary: 'Liveness probe.',
          security: [],
          responses: {
            '200': {
              description: 'The app is up.',
              content: {
                'application/json': {
                  schema: {
                    type: 'object',
                    properties: { status: { type: 'string', enum: ['ok'] } },
                  },
                },
              },
            },
          },
        },
      },
    },
    components: {
      securitySchemes: {
        functionKeyHeader: { type: 'apiKey', in: 'header', name: 'x-functions-key' },
        functionKeyQuery: { type: 'apiKey', in: 'query', name: 'code' },
      },
      schemas: {
        SealRequest: {
          type: 'object',
          required: ['pdf'],
          additionalProperties: false,
          properties: {
            pdf: { type: 'string', format: 'byte', description: 'The PDF, base64.' },
            ...options,
          },
        },
        StorageSealRequest: {
          type: 'object',
          required: ['source', 'destination'],
          additionalProperties: false,
          properties: {
            source: {
              type: 'object',
              required: ['container', 'blob'],
              additionalProperties: false,
              properties: {
                ...blobName,
                etag: {
                  type: 'string',
                  description: 'Seal only this version; 409 SOURCE_CHANGED if the blob differs.',
                },
              },
            },
            destination: {
              type: 'object',
              required: ['container', 'blob'],
              additionalProperties: false,
              properties: blobName,
            },
            overwrite: {
              type: 'boolean',
              default: false,
              description:
                'Replace the destination if it exists; otherwise 409 DESTINATION_EXISTS.',
            },
            ...options,
          },
        },
        StorageSealResponse: {
          type: 'object',
          properties: {
            destination: { $ref: '#/components/schemas/StoredBlob' },
            source: { $ref: '#/components/schemas/StoredBlob' },
            keyId: { type: 'string' },
            fieldName: { type: 'string' },
            copy: {
              type: 'string',
              enum: ['service', 'staged', 'streamed', 'in-place'],
              description:
                'How the original bytes reached the destination: copied by the storage service ' +
                'block by block, copied whole by the service into a staging blob sealed there and ' +
                'then to the destination, streamed through the app, or not copied (a blob sealed ' +
                'in place).',
            },
            durationMs: { type: 'integer' },
          },
        },
        StoredBlob: {
          type: 'object',
          properties: {
            container: { type: 'string' },
            blob: { type: 'string' },
            etag: { type: 'string' },
            sizeBytes: { type: 'integer' },
          },
        },
        SealResponse: {
          type: 'object',
          properties: {
            pdf: { type: 'string', format: 'byte', description: 'The sealed PDF, base64.' },
            keyId: { type: 'string' },
            fieldName: { type: 'string' },
            sizeBytes: { type: 'integer' },
          },
        },
        Error: {
          type: 'object',
          properties: {
            error: {
              type: 'object',
              required: ['code', 'message', 'invocationId'],
              properties: {
                code: { type: 'string', example: 'PDF_ENCRYPTED' },
                message: { type: 'string' },
                invocationId: { type: 'string' },
              },
            },
          },
        },
      },
    },
  };
}
