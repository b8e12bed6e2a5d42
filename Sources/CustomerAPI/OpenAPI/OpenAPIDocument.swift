/// The OpenAPI 3.1 description of the HTTP contract, served at `GET /openapi.json`.
///
/// Kept by hand next to the controllers and checked three ways: `scripts/check-openapi` validates
/// it against the OpenAPI 3.1 schema, a test compares its operations with the router's routes,
/// and the API tests check responses against it.
public enum OpenAPIDocument {
    public static let json = #"""
{
  "openapi": "3.1.0",
  "info": {
    "title": "CustomerFlow",
    "version": "1.0.0",
    "summary": "Customer management: customers, their addresses, their history.",
    "description": "Every write returns the new version of the customer in `ETag` and accepts `If-Match`. Errors are RFC 9457 problem documents whose `type` ends in a slug (`urn:customerflow:problem:<slug>`).",
    "license": {
      "name": "Apache-2.0",
      "identifier": "Apache-2.0"
    }
  },
  "servers": [
    {
      "url": "/"
    }
  ],
  "tags": [
    {
      "name": "customers",
      "description": "Customers and their addresses."
    },
    {
      "name": "operations",
      "description": "Health and the API description."
    },
    {
      "name": "operators",
      "description": "Outbox and inbox controls (the CAP dashboard's job)."
    }
  ],
  "paths": {
    "/v1/customers": {
      "post": {
        "tags": [
          "customers"
        ],
        "operationId": "registerCustomer",
        "summary": "Register a customer",
        "description": "The first address is primary when none is marked; marking more than one is a validation error. With `Idempotency-Key`, the same key and body replay the first response (with `Idempotent-Replayed: true`) for 24 hours; the same key with another body is refused with code `idempotency_key_reused`.",
        "parameters": [
          {
            "$ref": "#/components/parameters/IdempotencyKey"
          }
        ],
        "requestBody": {
          "required": true,
          "content": {
            "application/json": {
              "schema": {
                "$ref": "#/components/schemas/RegisterCustomerRequest"
              }
            }
          }
        },
        "responses": {
          "201": {
            "description": "Registered.",
            "headers": {
              "ETag": {
                "$ref": "#/components/headers/ETag"
              },
              "Location": {
                "$ref": "#/components/headers/Location"
              },
              "Idempotent-Replayed": {
                "$ref": "#/components/headers/IdempotentReplayed"
              }
            },
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Customer"
                }
              }
            },
            "links": {
              "GetCustomer": {
                "operationId": "getCustomer",
                "parameters": {
                  "id": "$response.body#/id"
                }
              },
              "UpdateCustomerProfile": {
                "operationId": "updateCustomerProfile",
                "parameters": {
                  "id": "$response.body#/id"
                }
              },
              "ChangeCustomerEmail": {
                "operationId": "changeCustomerEmail",
                "parameters": {
                  "id": "$response.body#/id"
                }
              },
              "AddCustomerAddress": {
                "operationId": "addCustomerAddress",
                "parameters": {
                  "id": "$response.body#/id"
                }
              },
              "DeactivateCustomer": {
                "operationId": "deactivateCustomer",
                "parameters": {
                  "id": "$response.body#/id"
                }
              },
              "ReactivateCustomer": {
                "operationId": "reactivateCustomer",
                "parameters": {
                  "id": "$response.body#/id"
                }
              },
              "EraseCustomer": {
                "operationId": "eraseCustomer",
                "parameters": {
                  "id": "$response.body#/id"
                }
              },
              "GetCustomerHistory": {
                "operationId": "getCustomerHistory",
                "parameters": {
                  "id": "$response.body#/id"
                }
              },
              "ExportCustomerData": {
                "operationId": "exportCustomerData",
                "parameters": {
                  "id": "$response.body#/id"
                }
              }
            }
          },
          "400": {
            "$ref": "#/components/responses/MalformedRequest"
          },
          "401": {
            "$ref": "#/components/responses/Unauthorized"
          },
          "403": {
            "$ref": "#/components/responses/Forbidden"
          },
          "409": {
            "$ref": "#/components/responses/Conflict"
          },
          "413": {
            "$ref": "#/components/responses/PayloadTooLarge"
          },
          "415": {
            "$ref": "#/components/responses/UnsupportedMediaType"
          },
          "422": {
            "$ref": "#/components/responses/ValidationFailed"
          },
          "429": {
            "$ref": "#/components/responses/TooManyRequests"
          },
          "500": {
            "$ref": "#/components/responses/Internal"
          },
          "503": {
            "$ref": "#/components/responses/Unavailable"
          }
        },
        "security": [
          {
            "bearer": [
              "customers:write"
            ]
          }
        ]
      },
      "get": {
        "tags": [
          "customers"
        ],
        "operationId": "listCustomers",
        "summary": "List customers, newest first",
        "description": "Keyset pagination: send `nextCursor` back as `cursor`, unchanged and URL-encoded, with the same filters. Erased customers are listed only with `status=erased`.",
        "parameters": [
          {
            "name": "status",
            "in": "query",
            "schema": {
              "type": "string",
              "enum": [
                "active",
                "inactive",
                "erased"
              ]
            }
          },
          {
            "name": "q",
            "in": "query",
            "description": "Case-insensitive prefix of the name or of the e-mail.",
            "schema": {
              "type": "string",
              "maxLength": 200
            }
          },
          {
            "name": "email",
            "in": "query",
            "description": "Exact e-mail, compared after trimming and lower-casing.",
            "schema": {
              "type": "string",
              "maxLength": 254
            }
          },
          {
            "name": "document",
            "in": "query",
            "description": "Exact document number, punctuation ignored.",
            "schema": {
              "type": "string",
              "maxLength": 40
            }
          },
          {
            "name": "limit",
            "in": "query",
            "description": "Page size, 1 to 200 (default 50).",
            "schema": {
              "type": "integer",
              "minimum": 1,
              "maximum": 200,
              "default": 50
            }
          },
          {
            "name": "cursor",
            "in": "query",
            "description": "The `nextCursor` of the previous page.",
            "schema": {
              "type": "string"
            }
          }
        ],
        "responses": {
          "200": {
            "description": "One page.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/CustomerPage"
                }
              }
            }
          },
          "400": {
            "$ref": "#/components/responses/MalformedRequest"
          },
          "401": {
            "$ref": "#/components/responses/Unauthorized"
          },
          "403": {
            "$ref": "#/components/responses/Forbidden"
          },
          "422": {
            "$ref": "#/components/responses/ValidationFailed"
          },
          "429": {
            "$ref": "#/components/responses/TooManyRequests"
          },
          "500": {
            "$ref": "#/components/responses/Internal"
          },
          "503": {
            "$ref": "#/components/responses/Unavailable"
          }
        },
        "security": [
          {
            "bearer": [
              "customers:read"
            ]
          }
        ]
      }
    },
    "/v1/customers/{id}": {
      "parameters": [
        {
          "$ref": "#/components/parameters/CustomerId"
        }
      ],
      "get": {
        "tags": [
          "customers"
        ],
        "operationId": "getCustomer",
        "summary": "Read a customer",
        "parameters": [
          {
            "$ref": "#/components/parameters/IfNoneMatch"
          }
        ],
        "responses": {
          "200": {
            "description": "The customer.",
            "headers": {
              "ETag": {
                "$ref": "#/components/headers/ETag"
              }
            },
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Customer"
                }
              }
            }
          },
          "304": {
            "description": "`If-None-Match` names the current version.",
            "headers": {
              "ETag": {
                "$ref": "#/components/headers/ETag"
              }
            }
          },
          "400": {
            "$ref": "#/components/responses/MalformedRequest"
          },
          "401": {
            "$ref": "#/components/responses/Unauthorized"
          },
          "403": {
            "$ref": "#/components/responses/Forbidden"
          },
          "404": {
            "$ref": "#/components/responses/NotFound"
          },
          "410": {
            "$ref": "#/components/responses/Gone"
          },
          "429": {
            "$ref": "#/components/responses/TooManyRequests"
          },
          "500": {
            "$ref": "#/components/responses/Internal"
          },
          "503": {
            "$ref": "#/components/responses/Unavailable"
          }
        },
        "security": [
          {
            "bearer": [
              "customers:read"
            ]
          }
        ]
      },
      "patch": {
        "tags": [
          "customers"
        ],
        "operationId": "updateCustomerProfile",
        "summary": "Change name, phone or birth date (JSON merge patch)",
        "description": "RFC 7396: a missing member keeps its value, `null` clears `phone` or `birthDate`. The name cannot be cleared; other members cannot be patched.",
        "parameters": [
          {
            "$ref": "#/components/parameters/IfMatch"
          }
        ],
        "requestBody": {
          "required": true,
          "content": {
            "application/merge-patch+json": {
              "schema": {
                "$ref": "#/components/schemas/CustomerPatch"
              }
            },
            "application/json": {
              "schema": {
                "$ref": "#/components/schemas/CustomerPatch"
              }
            }
          }
        },
        "responses": {
          "200": {
            "description": "The customer after the change.",
            "headers": {
              "ETag": {
                "$ref": "#/components/headers/ETag"
              }
            },
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Customer"
                }
              }
            }
          },
          "400": {
            "$ref": "#/components/responses/MalformedRequest"
          },
          "401": {
            "$ref": "#/components/responses/Unauthorized"
          },
          "403": {
            "$ref": "#/components/responses/Forbidden"
          },
          "404": {
            "$ref": "#/components/responses/NotFound"
          },
          "409": {
            "$ref": "#/components/responses/Conflict"
          },
          "410": {
            "$ref": "#/components/responses/Gone"
          },
          "412": {
            "$ref": "#/components/responses/PreconditionFailed"
          },
          "413": {
            "$ref": "#/components/responses/PayloadTooLarge"
          },
          "415": {
            "$ref": "#/components/responses/UnsupportedMediaType"
          },
          "422": {
            "$ref": "#/components/responses/ValidationFailed"
          },
          "429": {
            "$ref": "#/components/responses/TooManyRequests"
          },
          "500": {
            "$ref": "#/components/responses/Internal"
          },
          "503": {
            "$ref": "#/components/responses/Unavailable"
          }
        },
        "security": [
          {
            "bearer": [
              "customers:write"
            ]
          }
        ]
      },
      "delete": {
        "tags": [
          "customers"
        ],
        "operationId": "eraseCustomer",
        "summary": "Erase a customer's personal data (LGPD/GDPR)",
        "description": "Removes the personal data from the customer, its history and its outbox events in one transaction. Later reads and writes answer 410. Answers 404 `feature-disabled` while its feature flag (customers.erasure) is off.",
        "parameters": [
          {
            "$ref": "#/components/parameters/IfMatch"
          }
        ],
        "responses": {
          "204": {
            "description": "Erased.",
            "headers": {
              "ETag": {
                "$ref": "#/components/headers/ETag"
              }
            }
          },
          "400": {
            "$ref": "#/components/responses/MalformedRequest"
          },
          "401": {
            "$ref": "#/components/responses/Unauthorized"
          },
          "403": {
            "$ref": "#/components/responses/Forbidden"
          },
          "404": {
            "$ref": "#/components/responses/NotFound"
          },
          "409": {
            "$ref": "#/components/responses/Conflict"
          },
          "410": {
            "$ref": "#/components/responses/Gone"
          },
          "412": {
            "$ref": "#/components/responses/PreconditionFailed"
          },
          "429": {
            "$ref": "#/components/responses/TooManyRequests"
          },
          "500": {
            "$ref": "#/components/responses/Internal"
          },
          "503": {
            "$ref": "#/components/responses/Unavailable"
          }
        },
        "security": [
          {
            "bearer": [
              "customers:erase"
            ]
          }
        ]
      }
    },
    "/v1/customers/{id}/email": {
      "parameters": [
        {
          "$ref": "#/components/parameters/CustomerId"
        }
      ],
      "put": {
        "tags": [
          "customers"
        ],
        "operationId": "changeCustomerEmail",
        "summary": "Change the e-mail address",
        "parameters": [
          {
            "$ref": "#/components/parameters/IfMatch"
          }
        ],
        "requestBody": {
          "required": true,
          "content": {
            "application/json": {
              "schema": {
                "$ref": "#/components/schemas/EmailChange"
              }
            }
          }
        },
        "responses": {
          "200": {
            "description": "The customer after the change.",
            "headers": {
              "ETag": {
                "$ref": "#/components/headers/ETag"
              }
            },
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Customer"
                }
              }
            }
          },
          "400": {
            "$ref": "#/components/responses/MalformedRequest"
          },
          "401": {
            "$ref": "#/components/responses/Unauthorized"
          },
          "403": {
            "$ref": "#/components/responses/Forbidden"
          },
          "404": {
            "$ref": "#/components/responses/NotFound"
          },
          "409": {
            "$ref": "#/components/responses/Conflict"
          },
          "410": {
            "$ref": "#/components/responses/Gone"
          },
          "412": {
            "$ref": "#/components/responses/PreconditionFailed"
          },
          "413": {
            "$ref": "#/components/responses/PayloadTooLarge"
          },
          "415": {
            "$ref": "#/components/responses/UnsupportedMediaType"
          },
          "422": {
            "$ref": "#/components/responses/ValidationFailed"
          },
          "429": {
            "$ref": "#/components/responses/TooManyRequests"
          },
          "500": {
            "$ref": "#/components/responses/Internal"
          },
          "503": {
            "$ref": "#/components/responses/Unavailable"
          }
        },
        "security": [
          {
            "bearer": [
              "customers:write"
            ]
          }
        ]
      }
    },
    "/v1/customers/{id}/addresses": {
      "parameters": [
        {
          "$ref": "#/components/parameters/CustomerId"
        }
      ],
      "post": {
        "tags": [
          "customers"
        ],
        "operationId": "addCustomerAddress",
        "summary": "Add an address",
        "description": "A customer has at most 10 addresses. `primary: true` moves the primary flag to the new address; the first address is always primary. Accepts `Idempotency-Key` like registration.",
        "parameters": [
          {
            "$ref": "#/components/parameters/IfMatch"
          },
          {
            "$ref": "#/components/parameters/IdempotencyKey"
          }
        ],
        "requestBody": {
          "required": true,
          "content": {
            "application/json": {
              "schema": {
                "$ref": "#/components/schemas/AddressInput"
              }
            }
          }
        },
        "responses": {
          "201": {
            "description": "The address added.",
            "headers": {
              "ETag": {
                "$ref": "#/components/headers/ETag"
              },
              "Location": {
                "$ref": "#/components/headers/Location"
              },
              "Idempotent-Replayed": {
                "$ref": "#/components/headers/IdempotentReplayed"
              }
            },
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Address"
                }
              }
            },
            "links": {
              "UpdateCustomerAddress": {
                "operationId": "updateCustomerAddress",
                "parameters": {
                  "id": "$request.path.id",
                  "addressId": "$response.body#/id"
                }
              },
              "RemoveCustomerAddress": {
                "operationId": "removeCustomerAddress",
                "parameters": {
                  "id": "$request.path.id",
                  "addressId": "$response.body#/id"
                }
              }
            }
          },
          "400": {
            "$ref": "#/components/responses/MalformedRequest"
          },
          "401": {
            "$ref": "#/components/responses/Unauthorized"
          },
          "403": {
            "$ref": "#/components/responses/Forbidden"
          },
          "404": {
            "$ref": "#/components/responses/NotFound"
          },
          "409": {
            "$ref": "#/components/responses/Conflict"
          },
          "410": {
            "$ref": "#/components/responses/Gone"
          },
          "412": {
            "$ref": "#/components/responses/PreconditionFailed"
          },
          "413": {
            "$ref": "#/components/responses/PayloadTooLarge"
          },
          "415": {
            "$ref": "#/components/responses/UnsupportedMediaType"
          },
          "422": {
            "$ref": "#/components/responses/ValidationFailed"
          },
          "429": {
            "$ref": "#/components/responses/TooManyRequests"
          },
          "500": {
            "$ref": "#/components/responses/Internal"
          },
          "503": {
            "$ref": "#/components/responses/Unavailable"
          }
        },
        "security": [
          {
            "bearer": [
              "customers:write"
            ]
          }
        ]
      }
    },
    "/v1/customers/{id}/addresses/{addressId}": {
      "parameters": [
        {
          "$ref": "#/components/parameters/CustomerId"
        },
        {
          "$ref": "#/components/parameters/AddressId"
        }
      ],
      "put": {
        "tags": [
          "customers"
        ],
        "operationId": "updateCustomerAddress",
        "summary": "Replace an address",
        "description": "`primary: true` moves the primary flag to this address; a missing `primary` keeps the flag as it is; `primary: false` on the primary address is refused (409 `invalid_state`): mark another address primary instead.",
        "parameters": [
          {
            "$ref": "#/components/parameters/IfMatch"
          }
        ],
        "requestBody": {
          "required": true,
          "content": {
            "application/json": {
              "schema": {
                "$ref": "#/components/schemas/AddressInput"
              }
            }
          }
        },
        "responses": {
          "200": {
            "description": "The address after the change.",
            "headers": {
              "ETag": {
                "$ref": "#/components/headers/ETag"
              }
            },
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Address"
                }
              }
            }
          },
          "400": {
            "$ref": "#/components/responses/MalformedRequest"
          },
          "401": {
            "$ref": "#/components/responses/Unauthorized"
          },
          "403": {
            "$ref": "#/components/responses/Forbidden"
          },
          "404": {
            "$ref": "#/components/responses/NotFound"
          },
          "409": {
            "$ref": "#/components/responses/Conflict"
          },
          "410": {
            "$ref": "#/components/responses/Gone"
          },
          "412": {
            "$ref": "#/components/responses/PreconditionFailed"
          },
          "413": {
            "$ref": "#/components/responses/PayloadTooLarge"
          },
          "415": {
            "$ref": "#/components/responses/UnsupportedMediaType"
          },
          "422": {
            "$ref": "#/components/responses/ValidationFailed"
          },
          "429": {
            "$ref": "#/components/responses/TooManyRequests"
          },
          "500": {
            "$ref": "#/components/responses/Internal"
          },
          "503": {
            "$ref": "#/components/responses/Unavailable"
          }
        },
        "security": [
          {
            "bearer": [
              "customers:write"
            ]
          }
        ]
      },
      "delete": {
        "tags": [
          "customers"
        ],
        "operationId": "removeCustomerAddress",
        "summary": "Remove an address",
        "description": "Removing the primary address makes the oldest remaining address primary.",
        "parameters": [
          {
            "$ref": "#/components/parameters/IfMatch"
          }
        ],
        "responses": {
          "204": {
            "description": "Removed.",
            "headers": {
              "ETag": {
                "$ref": "#/components/headers/ETag"
              }
            }
          },
          "400": {
            "$ref": "#/components/responses/MalformedRequest"
          },
          "401": {
            "$ref": "#/components/responses/Unauthorized"
          },
          "403": {
            "$ref": "#/components/responses/Forbidden"
          },
          "404": {
            "$ref": "#/components/responses/NotFound"
          },
          "409": {
            "$ref": "#/components/responses/Conflict"
          },
          "410": {
            "$ref": "#/components/responses/Gone"
          },
          "412": {
            "$ref": "#/components/responses/PreconditionFailed"
          },
          "429": {
            "$ref": "#/components/responses/TooManyRequests"
          },
          "500": {
            "$ref": "#/components/responses/Internal"
          },
          "503": {
            "$ref": "#/components/responses/Unavailable"
          }
        },
        "security": [
          {
            "bearer": [
              "customers:write"
            ]
          }
        ]
      }
    },
    "/v1/customers/{id}/deactivate": {
      "parameters": [
        {
          "$ref": "#/components/parameters/CustomerId"
        }
      ],
      "post": {
        "tags": [
          "customers"
        ],
        "operationId": "deactivateCustomer",
        "summary": "Deactivate an active customer",
        "parameters": [
          {
            "$ref": "#/components/parameters/IfMatch"
          }
        ],
        "requestBody": {
          "required": true,
          "content": {
            "application/json": {
              "schema": {
                "$ref": "#/components/schemas/DeactivateRequest"
              }
            }
          }
        },
        "responses": {
          "200": {
            "description": "The customer, now inactive.",
            "headers": {
              "ETag": {
                "$ref": "#/components/headers/ETag"
              }
            },
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Customer"
                }
              }
            }
          },
          "400": {
            "$ref": "#/components/responses/MalformedRequest"
          },
          "401": {
            "$ref": "#/components/responses/Unauthorized"
          },
          "403": {
            "$ref": "#/components/responses/Forbidden"
          },
          "404": {
            "$ref": "#/components/responses/NotFound"
          },
          "409": {
            "$ref": "#/components/responses/Conflict"
          },
          "410": {
            "$ref": "#/components/responses/Gone"
          },
          "412": {
            "$ref": "#/components/responses/PreconditionFailed"
          },
          "413": {
            "$ref": "#/components/responses/PayloadTooLarge"
          },
          "415": {
            "$ref": "#/components/responses/UnsupportedMediaType"
          },
          "422": {
            "$ref": "#/components/responses/ValidationFailed"
          },
          "429": {
            "$ref": "#/components/responses/TooManyRequests"
          },
          "500": {
            "$ref": "#/components/responses/Internal"
          },
          "503": {
            "$ref": "#/components/responses/Unavailable"
          }
        },
        "security": [
          {
            "bearer": [
              "customers:write"
            ]
          }
        ]
      }
    },
    "/v1/customers/{id}/reactivate": {
      "parameters": [
        {
          "$ref": "#/components/parameters/CustomerId"
        }
      ],
      "post": {
        "tags": [
          "customers"
        ],
        "operationId": "reactivateCustomer",
        "summary": "Reactivate an inactive customer",
        "description": "Takes no body; one sent is ignored.",
        "parameters": [
          {
            "$ref": "#/components/parameters/IfMatch"
          }
        ],
        "responses": {
          "200": {
            "description": "The customer, active again.",
            "headers": {
              "ETag": {
                "$ref": "#/components/headers/ETag"
              }
            },
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Customer"
                }
              }
            }
          },
          "400": {
            "$ref": "#/components/responses/MalformedRequest"
          },
          "401": {
            "$ref": "#/components/responses/Unauthorized"
          },
          "403": {
            "$ref": "#/components/responses/Forbidden"
          },
          "404": {
            "$ref": "#/components/responses/NotFound"
          },
          "409": {
            "$ref": "#/components/responses/Conflict"
          },
          "410": {
            "$ref": "#/components/responses/Gone"
          },
          "412": {
            "$ref": "#/components/responses/PreconditionFailed"
          },
          "429": {
            "$ref": "#/components/responses/TooManyRequests"
          },
          "500": {
            "$ref": "#/components/responses/Internal"
          },
          "503": {
            "$ref": "#/components/responses/Unavailable"
          }
        },
        "security": [
          {
            "bearer": [
              "customers:write"
            ]
          }
        ]
      }
    },
    "/v1/customers/{id}/history": {
      "parameters": [
        {
          "$ref": "#/components/parameters/CustomerId"
        }
      ],
      "get": {
        "tags": [
          "customers"
        ],
        "operationId": "getCustomerHistory",
        "summary": "What happened to a customer, in version order",
        "description": "Available after erasure too, without personal data. Answers 404 `feature-disabled` while its feature flag (customers.history) is off.",
        "responses": {
          "200": {
            "description": "The history.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/History"
                }
              }
            }
          },
          "400": {
            "$ref": "#/components/responses/MalformedRequest"
          },
          "401": {
            "$ref": "#/components/responses/Unauthorized"
          },
          "403": {
            "$ref": "#/components/responses/Forbidden"
          },
          "404": {
            "$ref": "#/components/responses/NotFound"
          },
          "429": {
            "$ref": "#/components/responses/TooManyRequests"
          },
          "500": {
            "$ref": "#/components/responses/Internal"
          },
          "503": {
            "$ref": "#/components/responses/Unavailable"
          }
        },
        "security": [
          {
            "bearer": [
              "customers:read"
            ]
          }
        ]
      }
    },
    "/v1/customers/{id}/export": {
      "parameters": [
        {
          "$ref": "#/components/parameters/CustomerId"
        }
      ],
      "get": {
        "tags": [
          "customers"
        ],
        "operationId": "exportCustomerData",
        "summary": "Everything held about a customer (right of access, LGPD art. 18 / GDPR art. 15)",
        "description": "The profile with its addresses, the full history, the outbox events not yet purged, and the inbox records and webhook deliveries naming the customer, read from the primary database. Erased customers can be exported too: the document then shows what remains, without personal data. Needs the `customers:erase` scope.",
        "security": [
          {
            "bearer": [
              "customers:erase"
            ]
          }
        ],
        "responses": {
          "200": {
            "description": "The export, served as an attachment with `Cache-Control: no-store`.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/CustomerExport"
                }
              }
            }
          },
          "400": {
            "$ref": "#/components/responses/MalformedRequest"
          },
          "401": {
            "$ref": "#/components/responses/Unauthorized"
          },
          "403": {
            "$ref": "#/components/responses/Forbidden"
          },
          "404": {
            "$ref": "#/components/responses/NotFound"
          },
          "429": {
            "$ref": "#/components/responses/TooManyRequests"
          },
          "500": {
            "$ref": "#/components/responses/Internal"
          },
          "503": {
            "$ref": "#/components/responses/Unavailable"
          }
        }
      }
    },
    "/metrics": {
      "get": {
        "tags": [
          "operations"
        ],
        "operationId": "metrics",
        "summary": "Every metric in the Prometheus text format, for a scraper",
        "description": "HTTP request durations by method, route template and status class; mediator request durations by request type and outcome; outbox published, failed and pending counts, oldest pending age and relay batch duration; inbox messages by consumer group and outcome; database pool connections and waiters; process resident memory and open file descriptors. Public unless `auth.metricsPublic` is false; then it needs the `admin` scope.",
        "responses": {
          "200": {
            "description": "The exposition text (version 0.0.4).",
            "content": {
              "text/plain": {
                "schema": {
                  "type": "string"
                }
              }
            }
          },
          "401": {
            "$ref": "#/components/responses/Unauthorized"
          },
          "403": {
            "$ref": "#/components/responses/Forbidden"
          },
          "429": {
            "$ref": "#/components/responses/TooManyRequests"
          }
        },
        "security": [
          {},
          {
            "bearer": [
              "admin"
            ]
          }
        ]
      }
    },
    "/health/live": {
      "get": {
        "tags": [
          "operations"
        ],
        "operationId": "live",
        "summary": "Liveness: the process answers",
        "responses": {
          "200": {
            "description": "Alive.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/HealthStatus"
                }
              }
            }
          },
          "401": {
            "$ref": "#/components/responses/Unauthorized"
          }
        },
        "security": [
          {}
        ]
      }
    },
    "/health/ready": {
      "get": {
        "tags": [
          "operations"
        ],
        "operationId": "ready",
        "summary": "Readiness, component by component",
        "description": "200 `ready` when every component is up; 200 `degraded` when a component the service can do without is not (the broker is unreachable, or the oldest pending event is older than eventBus.relay.maxLagSeconds); 503 problem `unavailable`, with the same `components` member, when the database or the read replica does not answer within 2 s or migrations are pending.",
        "responses": {
          "200": {
            "description": "Ready.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/HealthStatus"
                }
              }
            }
          },
          "401": {
            "$ref": "#/components/responses/Unauthorized"
          },
          "503": {
            "$ref": "#/components/responses/Unavailable"
          }
        },
        "security": [
          {}
        ]
      }
    },
    "/openapi.json": {
      "get": {
        "tags": [
          "operations"
        ],
        "operationId": "openAPIDocument",
        "summary": "This document",
        "responses": {
          "200": {
            "description": "The OpenAPI 3.1 document.",
            "content": {
              "application/json": {
                "schema": {
                  "type": "object"
                }
              }
            }
          },
          "401": {
            "$ref": "#/components/responses/Unauthorized"
          },
          "429": {
            "$ref": "#/components/responses/TooManyRequests"
          }
        },
        "security": [
          {}
        ]
      }
    },
    "/admin/outbox": {
      "get": {
        "tags": [
          "operators"
        ],
        "operationId": "listOutbox",
        "summary": "List outbox rows, newest first",
        "parameters": [
          {
            "name": "status",
            "in": "query",
            "schema": {
              "type": "string",
              "enum": [
                "pending",
                "published",
                "failed"
              ]
            }
          },
          {
            "name": "type",
            "in": "query",
            "description": "An event type, e.g. customer.registered.v1.",
            "schema": {
              "type": "string",
              "maxLength": 255
            }
          },
          {
            "name": "limit",
            "in": "query",
            "schema": {
              "type": "integer",
              "minimum": 1,
              "maximum": 200,
              "default": 50
            }
          },
          {
            "name": "cursor",
            "in": "query",
            "description": "The `nextCursor` of the previous page.",
            "schema": {
              "type": "string"
            }
          }
        ],
        "responses": {
          "200": {
            "description": "One page.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/OutboxPage"
                }
              }
            },
            "links": {
              "RetryOutboxEvent": {
                "operationId": "retryOutboxEvent",
                "parameters": {
                  "id": "$response.body#/items/0/id"
                }
              }
            }
          },
          "400": {
            "$ref": "#/components/responses/MalformedRequest"
          },
          "401": {
            "$ref": "#/components/responses/Unauthorized"
          },
          "403": {
            "$ref": "#/components/responses/Forbidden"
          },
          "422": {
            "$ref": "#/components/responses/ValidationFailed"
          },
          "429": {
            "$ref": "#/components/responses/TooManyRequests"
          },
          "500": {
            "$ref": "#/components/responses/Internal"
          },
          "503": {
            "$ref": "#/components/responses/Unavailable"
          }
        },
        "security": [
          {
            "bearer": [
              "admin"
            ]
          }
        ]
      }
    },
    "/admin/outbox/stats": {
      "get": {
        "tags": [
          "operators"
        ],
        "operationId": "outboxStats",
        "summary": "The outbox at a glance",
        "responses": {
          "200": {
            "description": "Counts and the age of the oldest pending event.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/OutboxStats"
                }
              }
            }
          },
          "401": {
            "$ref": "#/components/responses/Unauthorized"
          },
          "403": {
            "$ref": "#/components/responses/Forbidden"
          },
          "429": {
            "$ref": "#/components/responses/TooManyRequests"
          },
          "500": {
            "$ref": "#/components/responses/Internal"
          },
          "503": {
            "$ref": "#/components/responses/Unavailable"
          }
        },
        "security": [
          {
            "bearer": [
              "admin"
            ]
          }
        ]
      }
    },
    "/admin/outbox/retry-failed": {
      "post": {
        "tags": [
          "operators"
        ],
        "operationId": "retryFailedOutbox",
        "summary": "Put every failed event back to pending",
        "responses": {
          "200": {
            "description": "How many.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Retried"
                }
              }
            }
          },
          "401": {
            "$ref": "#/components/responses/Unauthorized"
          },
          "403": {
            "$ref": "#/components/responses/Forbidden"
          },
          "429": {
            "$ref": "#/components/responses/TooManyRequests"
          },
          "500": {
            "$ref": "#/components/responses/Internal"
          },
          "503": {
            "$ref": "#/components/responses/Unavailable"
          }
        },
        "security": [
          {
            "bearer": [
              "admin"
            ]
          }
        ]
      }
    },
    "/admin": {
      "get": {
        "tags": [
          "operators"
        ],
        "operationId": "dashboard",
        "summary": "The operator dashboard (HTML): outbox and inbox counts, oldest pending event, publish rate, failed messages with a retry button, search",
        "parameters": [
          {
            "name": "q",
            "in": "query",
            "required": false,
            "description": "A customer id (searches the outbox by subject) or an event type.",
            "schema": {
              "type": "string",
              "maxLength": 255
            }
          }
        ],
        "responses": {
          "200": {
            "description": "The page; it refreshes itself every 10 s and needs no JavaScript.",
            "content": {
              "text/html": {
                "schema": {
                  "type": "string"
                }
              }
            }
          },
          "401": {
            "$ref": "#/components/responses/Unauthorized"
          },
          "403": {
            "$ref": "#/components/responses/Forbidden"
          },
          "422": {
            "$ref": "#/components/responses/ValidationFailed"
          },
          "429": {
            "$ref": "#/components/responses/TooManyRequests"
          },
          "500": {
            "$ref": "#/components/responses/Internal"
          },
          "503": {
            "$ref": "#/components/responses/Unavailable"
          }
        },
        "security": [
          {
            "bearer": [
              "admin"
            ]
          }
        ]
      }
    },
    "/admin/login": {
      "get": {
        "tags": [
          "operations"
        ],
        "operationId": "adminLoginForm",
        "summary": "The dashboard's sign-in page (only when auth is configured)",
        "description": "A form taking an access token with the `admin` scope, for browsers, which cannot send a bearer header with page loads and form posts.",
        "security": [
          {}
        ],
        "responses": {
          "200": {
            "description": "The form.",
            "content": {
              "text/html": {
                "schema": {
                  "type": "string"
                }
              }
            }
          },
          "401": {
            "$ref": "#/components/responses/Unauthorized"
          },
          "429": {
            "$ref": "#/components/responses/TooManyRequests"
          }
        }
      },
      "post": {
        "tags": [
          "operations"
        ],
        "operationId": "adminLogin",
        "summary": "Signs a browser in to the dashboard",
        "description": "Checks the token like a bearer token; with the `admin` scope, stores it in the cookie `customerflow_admin` (`HttpOnly; Secure; SameSite=Strict; Path=/admin`) and redirects to `/admin`. The cookie is accepted for `GET /admin` and the dashboard's own forms only, never for the JSON admin API or `/v1`. Cross-site posts are refused.",
        "security": [
          {}
        ],
        "requestBody": {
          "required": true,
          "content": {
            "application/x-www-form-urlencoded": {
              "schema": {
                "type": "object",
                "required": [
                  "token"
                ],
                "properties": {
                  "token": {
                    "type": "string",
                    "description": "An access token (JWT)."
                  }
                }
              }
            }
          }
        },
        "responses": {
          "303": {
            "description": "Signed in: to `/admin`, with the cookie.",
            "headers": {
              "Location": {
                "schema": {
                  "type": "string"
                }
              },
              "Set-Cookie": {
                "schema": {
                  "type": "string"
                }
              }
            }
          },
          "400": {
            "description": "No token, or a cross-site post.",
            "content": {
              "text/html": {
                "schema": {
                  "type": "string"
                }
              },
              "application/problem+json": {
                "schema": {
                  "$ref": "#/components/schemas/Problem"
                }
              }
            }
          },
          "401": {
            "description": "The token is not accepted (the form again, saying why).",
            "content": {
              "text/html": {
                "schema": {
                  "type": "string"
                }
              }
            }
          },
          "403": {
            "description": "The token lacks the `admin` scope.",
            "content": {
              "text/html": {
                "schema": {
                  "type": "string"
                }
              }
            }
          },
          "429": {
            "$ref": "#/components/responses/TooManyRequests"
          },
          "503": {
            "description": "The JWKS cannot be read.",
            "content": {
              "text/html": {
                "schema": {
                  "type": "string"
                }
              }
            }
          }
        }
      }
    },
    "/admin/logout": {
      "post": {
        "tags": [
          "operations"
        ],
        "operationId": "adminLogout",
        "summary": "Signs a browser out of the dashboard",
        "description": "Clears the `customerflow_admin` cookie and redirects to `/admin/login`.",
        "security": [
          {}
        ],
        "responses": {
          "303": {
            "description": "Signed out.",
            "headers": {
              "Location": {
                "schema": {
                  "type": "string"
                }
              },
              "Set-Cookie": {
                "schema": {
                  "type": "string"
                }
              }
            }
          },
          "400": {
            "$ref": "#/components/responses/MalformedRequest"
          },
          "401": {
            "$ref": "#/components/responses/Unauthorized"
          },
          "429": {
            "$ref": "#/components/responses/TooManyRequests"
          }
        }
      }
    },
    "/admin/dashboard/outbox/{id}/retry": {
      "parameters": [
        {
          "name": "id",
          "in": "path",
          "required": true,
          "description": "The event id (the CloudEvent id).",
          "schema": {
            "type": "string"
          }
        }
      ],
      "post": {
        "tags": [
          "operators"
        ],
        "operationId": "dashboardRetryOutboxEvent",
        "summary": "The dashboard's retry button for a failed event: retries it, then sends the browser back to the page",
        "responses": {
          "303": {
            "description": "Back to /admin (also when the event was no longer failed).",
            "headers": {
              "Location": {
                "schema": {
                  "type": "string"
                }
              }
            }
          },
          "401": {
            "$ref": "#/components/responses/Unauthorized"
          },
          "403": {
            "$ref": "#/components/responses/Forbidden"
          },
          "429": {
            "$ref": "#/components/responses/TooManyRequests"
          },
          "500": {
            "$ref": "#/components/responses/Internal"
          },
          "503": {
            "$ref": "#/components/responses/Unavailable"
          }
        },
        "security": [
          {
            "bearer": [
              "admin"
            ]
          }
        ]
      }
    },
    "/admin/dashboard/inbox/{id}/retry": {
      "parameters": [
        {
          "name": "id",
          "in": "path",
          "required": true,
          "description": "The inbox entry's position.",
          "schema": {
            "type": "string"
          }
        }
      ],
      "post": {
        "tags": [
          "operators"
        ],
        "operationId": "dashboardRetryInboxMessage",
        "summary": "The dashboard's retry button for a failed inbox message",
        "responses": {
          "303": {
            "description": "Back to /admin.",
            "headers": {
              "Location": {
                "schema": {
                  "type": "string"
                }
              }
            }
          },
          "400": {
            "$ref": "#/components/responses/MalformedRequest"
          },
          "401": {
            "$ref": "#/components/responses/Unauthorized"
          },
          "403": {
            "$ref": "#/components/responses/Forbidden"
          },
          "429": {
            "$ref": "#/components/responses/TooManyRequests"
          },
          "500": {
            "$ref": "#/components/responses/Internal"
          },
          "503": {
            "$ref": "#/components/responses/Unavailable"
          }
        },
        "security": [
          {
            "bearer": [
              "admin"
            ]
          }
        ]
      }
    },
    "/admin/outbox/{id}/retry": {
      "parameters": [
        {
          "name": "id",
          "in": "path",
          "required": true,
          "description": "The event id (the CloudEvent id).",
          "schema": {
            "type": "string"
          }
        }
      ],
      "post": {
        "tags": [
          "operators"
        ],
        "operationId": "retryOutboxEvent",
        "summary": "Put one failed or waiting event back for an immediate attempt",
        "responses": {
          "200": {
            "description": "Retried.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Retried"
                }
              }
            }
          },
          "401": {
            "$ref": "#/components/responses/Unauthorized"
          },
          "403": {
            "$ref": "#/components/responses/Forbidden"
          },
          "404": {
            "$ref": "#/components/responses/NotFound"
          },
          "429": {
            "$ref": "#/components/responses/TooManyRequests"
          },
          "500": {
            "$ref": "#/components/responses/Internal"
          },
          "503": {
            "$ref": "#/components/responses/Unavailable"
          }
        },
        "security": [
          {
            "bearer": [
              "admin"
            ]
          }
        ]
      }
    },
    "/admin/inbox": {
      "get": {
        "tags": [
          "operators"
        ],
        "operationId": "listInbox",
        "summary": "List inbox rows, newest first",
        "parameters": [
          {
            "name": "status",
            "in": "query",
            "schema": {
              "type": "string",
              "enum": [
                "processed",
                "failed",
                "retrying"
              ]
            }
          },
          {
            "name": "group",
            "in": "query",
            "description": "A consumer group.",
            "schema": {
              "type": "string",
              "maxLength": 255
            }
          },
          {
            "name": "limit",
            "in": "query",
            "schema": {
              "type": "integer",
              "minimum": 1,
              "maximum": 200,
              "default": 50
            }
          },
          {
            "name": "cursor",
            "in": "query",
            "description": "The `nextCursor` of the previous page.",
            "schema": {
              "type": "string"
            }
          }
        ],
        "responses": {
          "200": {
            "description": "One page.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/InboxPage"
                }
              }
            },
            "links": {
              "RetryInboxMessage": {
                "operationId": "retryInboxMessage",
                "parameters": {
                  "id": "$response.body#/items/0/id"
                }
              }
            }
          },
          "400": {
            "$ref": "#/components/responses/MalformedRequest"
          },
          "401": {
            "$ref": "#/components/responses/Unauthorized"
          },
          "403": {
            "$ref": "#/components/responses/Forbidden"
          },
          "422": {
            "$ref": "#/components/responses/ValidationFailed"
          },
          "429": {
            "$ref": "#/components/responses/TooManyRequests"
          },
          "500": {
            "$ref": "#/components/responses/Internal"
          },
          "503": {
            "$ref": "#/components/responses/Unavailable"
          }
        },
        "security": [
          {
            "bearer": [
              "admin"
            ]
          }
        ]
      }
    },
    "/admin/inbox/stats": {
      "get": {
        "tags": [
          "operators"
        ],
        "operationId": "inboxStats",
        "summary": "The inbox at a glance",
        "responses": {
          "200": {
            "description": "Counts.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/InboxStats"
                }
              }
            }
          },
          "401": {
            "$ref": "#/components/responses/Unauthorized"
          },
          "403": {
            "$ref": "#/components/responses/Forbidden"
          },
          "429": {
            "$ref": "#/components/responses/TooManyRequests"
          },
          "500": {
            "$ref": "#/components/responses/Internal"
          },
          "503": {
            "$ref": "#/components/responses/Unavailable"
          }
        },
        "security": [
          {
            "bearer": [
              "admin"
            ]
          }
        ]
      }
    },
    "/admin/inbox/retry-failed": {
      "post": {
        "tags": [
          "operators"
        ],
        "operationId": "retryFailedInbox",
        "summary": "Run every failed message again",
        "responses": {
          "200": {
            "description": "How many.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Retried"
                }
              }
            }
          },
          "401": {
            "$ref": "#/components/responses/Unauthorized"
          },
          "403": {
            "$ref": "#/components/responses/Forbidden"
          },
          "429": {
            "$ref": "#/components/responses/TooManyRequests"
          },
          "500": {
            "$ref": "#/components/responses/Internal"
          },
          "503": {
            "$ref": "#/components/responses/Unavailable"
          }
        },
        "security": [
          {
            "bearer": [
              "admin"
            ]
          }
        ]
      }
    },
    "/admin/inbox/{id}/retry": {
      "parameters": [
        {
          "name": "id",
          "in": "path",
          "required": true,
          "description": "The inbox row id (a whole number; anything else is 400).",
          "schema": {
            "type": "string",
            "pattern": "^[0-9]+$"
          }
        }
      ],
      "post": {
        "tags": [
          "operators"
        ],
        "operationId": "retryInboxMessage",
        "summary": "Run one failed message again",
        "responses": {
          "200": {
            "description": "Marked for another attempt.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Retried"
                }
              }
            }
          },
          "400": {
            "$ref": "#/components/responses/MalformedRequest"
          },
          "401": {
            "$ref": "#/components/responses/Unauthorized"
          },
          "403": {
            "$ref": "#/components/responses/Forbidden"
          },
          "404": {
            "$ref": "#/components/responses/NotFound"
          },
          "429": {
            "$ref": "#/components/responses/TooManyRequests"
          },
          "500": {
            "$ref": "#/components/responses/Internal"
          },
          "503": {
            "$ref": "#/components/responses/Unavailable"
          }
        },
        "security": [
          {
            "bearer": [
              "admin"
            ]
          }
        ]
      }
    },
    "/admin/features": {
      "get": {
        "tags": [
          "operators"
        ],
        "operationId": "listFeatures",
        "summary": "Feature flags and what they answer",
        "description": "Every flag (the product's own: customers.erasure, customers.history, webhooks; and those the configuration defines), its definition in the configuration's shape, and whether it is on for the caller now, or for the caller given by user, groups and key.",
        "parameters": [
          {
            "name": "user",
            "in": "query",
            "required": false,
            "schema": {
              "type": "string"
            },
            "description": "Evaluate for this user."
          },
          {
            "name": "groups",
            "in": "query",
            "required": false,
            "schema": {
              "type": "string"
            },
            "description": "Comma-separated groups of that user."
          },
          {
            "name": "key",
            "in": "query",
            "required": false,
            "schema": {
              "type": "string"
            },
            "description": "Targeting key (a customer id) percentages stick to when there is no user."
          }
        ],
        "responses": {
          "200": {
            "description": "The flags, by name.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/FeatureList"
                }
              }
            }
          },
          "401": {
            "$ref": "#/components/responses/Unauthorized"
          },
          "403": {
            "$ref": "#/components/responses/Forbidden"
          },
          "429": {
            "$ref": "#/components/responses/TooManyRequests"
          },
          "500": {
            "$ref": "#/components/responses/Internal"
          }
        },
        "security": [
          {
            "bearer": [
              "admin"
            ]
          }
        ]
      }
    },
    "/admin/webhooks": {
      "post": {
        "tags": [
          "operators"
        ],
        "operationId": "createWebhook",
        "summary": "Subscribe an endpoint to events",
        "description": "Each matching integration event is POSTed to the URL as its CloudEvent, signed by the Standard Webhooks scheme (webhook-id, webhook-timestamp, webhook-signature: v1,<base64 HMAC-SHA256>), in order per customer, retried on a schedule; 410 disables the subscription. Answers 404 `feature-disabled` while the webhooks flag is off.",
        "requestBody": {
          "required": true,
          "content": {
            "application/json": {
              "schema": {
                "$ref": "#/components/schemas/NewWebhookSubscription"
              }
            }
          }
        },
        "responses": {
          "201": {
            "description": "Subscribed; the secret is shown only here.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/WebhookSubscriptionCreated"
                }
              }
            },
            "links": {
              "GetWebhook": {
                "operationId": "getWebhook",
                "parameters": {
                  "id": "$response.body#/id"
                }
              },
              "ListWebhookDeliveries": {
                "operationId": "listWebhookDeliveries",
                "parameters": {
                  "id": "$response.body#/id"
                }
              },
              "DeleteWebhook": {
                "operationId": "deleteWebhook",
                "parameters": {
                  "id": "$response.body#/id"
                }
              }
            }
          },
          "400": {
            "$ref": "#/components/responses/MalformedRequest"
          },
          "401": {
            "$ref": "#/components/responses/Unauthorized"
          },
          "403": {
            "$ref": "#/components/responses/Forbidden"
          },
          "404": {
            "$ref": "#/components/responses/NotFound"
          },
          "413": {
            "$ref": "#/components/responses/PayloadTooLarge"
          },
          "415": {
            "$ref": "#/components/responses/UnsupportedMediaType"
          },
          "422": {
            "$ref": "#/components/responses/ValidationFailed"
          },
          "429": {
            "$ref": "#/components/responses/TooManyRequests"
          },
          "500": {
            "$ref": "#/components/responses/Internal"
          },
          "503": {
            "$ref": "#/components/responses/Unavailable"
          }
        },
        "security": [
          {
            "bearer": [
              "admin"
            ]
          }
        ]
      },
      "get": {
        "tags": [
          "operators"
        ],
        "operationId": "listWebhooks",
        "summary": "Webhook subscriptions (without secrets)",
        "description": "Answers 404 `feature-disabled` while the webhooks flag is off.",
        "responses": {
          "200": {
            "description": "OK.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/WebhookSubscriptionList"
                }
              }
            }
          },
          "401": {
            "$ref": "#/components/responses/Unauthorized"
          },
          "403": {
            "$ref": "#/components/responses/Forbidden"
          },
          "404": {
            "$ref": "#/components/responses/NotFound"
          },
          "429": {
            "$ref": "#/components/responses/TooManyRequests"
          },
          "500": {
            "$ref": "#/components/responses/Internal"
          },
          "503": {
            "$ref": "#/components/responses/Unavailable"
          }
        },
        "security": [
          {
            "bearer": [
              "admin"
            ]
          }
        ]
      }
    },
    "/admin/webhooks/{id}": {
      "parameters": [
        {
          "name": "id",
          "in": "path",
          "required": true,
          "schema": {
            "type": "string",
            "format": "uuid"
          }
        }
      ],
      "get": {
        "tags": [
          "operators"
        ],
        "operationId": "getWebhook",
        "summary": "One subscription",
        "description": "Answers 404 `feature-disabled` while the webhooks flag is off.",
        "responses": {
          "200": {
            "description": "OK.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/WebhookSubscription"
                }
              }
            }
          },
          "400": {
            "$ref": "#/components/responses/MalformedRequest"
          },
          "401": {
            "$ref": "#/components/responses/Unauthorized"
          },
          "403": {
            "$ref": "#/components/responses/Forbidden"
          },
          "404": {
            "$ref": "#/components/responses/NotFound"
          },
          "429": {
            "$ref": "#/components/responses/TooManyRequests"
          },
          "500": {
            "$ref": "#/components/responses/Internal"
          },
          "503": {
            "$ref": "#/components/responses/Unavailable"
          }
        },
        "security": [
          {
            "bearer": [
              "admin"
            ]
          }
        ]
      },
      "delete": {
        "tags": [
          "operators"
        ],
        "operationId": "deleteWebhook",
        "summary": "Unsubscribe; its pending deliveries go too",
        "description": "Answers 404 `feature-disabled` while the webhooks flag is off.",
        "responses": {
          "204": {
            "description": "Deleted."
          },
          "400": {
            "$ref": "#/components/responses/MalformedRequest"
          },
          "401": {
            "$ref": "#/components/responses/Unauthorized"
          },
          "403": {
            "$ref": "#/components/responses/Forbidden"
          },
          "404": {
            "$ref": "#/components/responses/NotFound"
          },
          "429": {
            "$ref": "#/components/responses/TooManyRequests"
          },
          "500": {
            "$ref": "#/components/responses/Internal"
          },
          "503": {
            "$ref": "#/components/responses/Unavailable"
          }
        },
        "security": [
          {
            "bearer": [
              "admin"
            ]
          }
        ]
      }
    },
    "/admin/webhooks/{id}/deliveries": {
      "parameters": [
        {
          "name": "id",
          "in": "path",
          "required": true,
          "schema": {
            "type": "string",
            "format": "uuid"
          }
        }
      ],
      "get": {
        "tags": [
          "operators"
        ],
        "operationId": "listWebhookDeliveries",
        "summary": "A subscription's deliveries, newest first",
        "description": "Answers 404 `feature-disabled` while the webhooks flag is off.",
        "parameters": [
          {
            "name": "status",
            "in": "query",
            "required": false,
            "schema": {
              "type": "string",
              "enum": [
                "pending",
                "delivered",
                "failed"
              ]
            }
          },
          {
            "name": "limit",
            "in": "query",
            "required": false,
            "schema": {
              "type": "integer",
              "minimum": 1,
              "maximum": 200,
              "default": 50
            }
          }
        ],
        "responses": {
          "200": {
            "description": "OK.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/WebhookDeliveryList"
                }
              }
            }
          },
          "422": {
            "$ref": "#/components/responses/ValidationFailed"
          },
          "400": {
            "$ref": "#/components/responses/MalformedRequest"
          },
          "401": {
            "$ref": "#/components/responses/Unauthorized"
          },
          "403": {
            "$ref": "#/components/responses/Forbidden"
          },
          "404": {
            "$ref": "#/components/responses/NotFound"
          },
          "429": {
            "$ref": "#/components/responses/TooManyRequests"
          },
          "500": {
            "$ref": "#/components/responses/Internal"
          },
          "503": {
            "$ref": "#/components/responses/Unavailable"
          }
        },
        "security": [
          {
            "bearer": [
              "admin"
            ]
          }
        ]
      }
    },
    "/admin/webhooks/deliveries/{seq}/retry": {
      "parameters": [
        {
          "name": "seq",
          "in": "path",
          "required": true,
          "schema": {
            "type": "integer"
          }
        }
      ],
      "post": {
        "tags": [
          "operators"
        ],
        "operationId": "retryWebhookDelivery",
        "summary": "Redeliver a failed delivery now",
        "description": "Answers 404 `feature-disabled` while the webhooks flag is off.",
        "responses": {
          "204": {
            "description": "Back to pending, due now."
          },
          "400": {
            "$ref": "#/components/responses/MalformedRequest"
          },
          "401": {
            "$ref": "#/components/responses/Unauthorized"
          },
          "403": {
            "$ref": "#/components/responses/Forbidden"
          },
          "404": {
            "$ref": "#/components/responses/NotFound"
          },
          "429": {
            "$ref": "#/components/responses/TooManyRequests"
          },
          "500": {
            "$ref": "#/components/responses/Internal"
          },
          "503": {
            "$ref": "#/components/responses/Unavailable"
          }
        },
        "security": [
          {
            "bearer": [
              "admin"
            ]
          }
        ]
      }
    },
    "/admin/dashboard/webhooks/{seq}/retry": {
      "parameters": [
        {
          "name": "seq",
          "in": "path",
          "required": true,
          "schema": {
            "type": "integer"
          }
        }
      ],
      "post": {
        "tags": [
          "operators"
        ],
        "operationId": "dashboardRetryWebhook",
        "summary": "Redeliver a failed webhook delivery from the dashboard (form post, answered with 303 to /admin)",
        "responses": {
          "303": {
            "description": "Back to /admin.",
            "headers": {
              "Location": {
                "schema": {
                  "type": "string"
                }
              }
            }
          },
          "400": {
            "$ref": "#/components/responses/MalformedRequest"
          },
          "401": {
            "$ref": "#/components/responses/Unauthorized"
          },
          "403": {
            "$ref": "#/components/responses/Forbidden"
          },
          "429": {
            "$ref": "#/components/responses/TooManyRequests"
          },
          "500": {
            "$ref": "#/components/responses/Internal"
          },
          "503": {
            "$ref": "#/components/responses/Unavailable"
          }
        },
        "security": [
          {
            "bearer": [
              "admin"
            ]
          }
        ]
      }
    }
  },
  "components": {
    "parameters": {
      "CustomerId": {
        "name": "id",
        "in": "path",
        "required": true,
        "description": "The customer id (a UUID; anything else is 400).",
        "schema": {
          "type": "string",
          "format": "uuid"
        }
      },
      "AddressId": {
        "name": "addressId",
        "in": "path",
        "required": true,
        "description": "The address id (a UUID; anything else is 400).",
        "schema": {
          "type": "string",
          "format": "uuid"
        }
      },
      "IfMatch": {
        "name": "If-Match",
        "in": "header",
        "required": false,
        "description": "The version the customer must be at, as its ETag (`\"3\"`), or `*`. A mismatch is 412 and changes nothing.",
        "schema": {
          "type": "string"
        }
      },
      "IfNoneMatch": {
        "name": "If-None-Match",
        "in": "header",
        "required": false,
        "description": "An ETag; when it names the current version the answer is 304 without a body.",
        "schema": {
          "type": "string"
        }
      },
      "IdempotencyKey": {
        "name": "Idempotency-Key",
        "in": "header",
        "required": false,
        "description": "1 to 255 visible ASCII characters. Scoped to the route, kept 24 hours; only 2xx responses are stored.",
        "schema": {
          "type": "string",
          "minLength": 1,
          "maxLength": 255
        }
      }
    },
    "headers": {
      "ETag": {
        "description": "The customer's version, quoted: `\"3\"`.",
        "schema": {
          "type": "string"
        }
      },
      "Location": {
        "description": "The URL of the created resource.",
        "schema": {
          "type": "string"
        }
      },
      "IdempotentReplayed": {
        "description": "`true` when the response is a replay of an earlier request with the same `Idempotency-Key`.",
        "schema": {
          "type": "string",
          "enum": [
            "true"
          ]
        }
      },
      "WWW-Authenticate": {
        "description": "`Bearer realm=\"customerflow\"`, with `error=\"invalid_token\"` for a token that is not accepted or `error=\"insufficient_scope\", scope=\"…\"` for one without the scope.",
        "schema": {
          "type": "string"
        }
      },
      "Retry-After": {
        "description": "Seconds until the client may try again.",
        "schema": {
          "type": "integer",
          "minimum": 1
        }
      }
    },
    "responses": {
      "MalformedRequest": {
        "description": "Bad JSON, a path id that is not a UUID, a tampered cursor, a malformed header.",
        "content": {
          "application/problem+json": {
            "schema": {
              "$ref": "#/components/schemas/Problem"
            }
          }
        }
      },
      "NotFound": {
        "description": "No such customer, address or route; or a feature flag is off for the caller (`feature-disabled`).",
        "content": {
          "application/problem+json": {
            "schema": {
              "$ref": "#/components/schemas/Problem"
            }
          }
        }
      },
      "Gone": {
        "description": "The customer was erased.",
        "content": {
          "application/problem+json": {
            "schema": {
              "$ref": "#/components/schemas/Problem"
            }
          }
        }
      },
      "Conflict": {
        "description": "`code` says which: `email_taken`, `document_taken`, `invalid_state`, `concurrent_modification`.",
        "content": {
          "application/problem+json": {
            "schema": {
              "$ref": "#/components/schemas/Problem"
            }
          }
        }
      },
      "PreconditionFailed": {
        "description": "`If-Match` does not name the current version.",
        "content": {
          "application/problem+json": {
            "schema": {
              "$ref": "#/components/schemas/Problem"
            }
          }
        }
      },
      "PayloadTooLarge": {
        "description": "The body is larger than `limits.maxBodyBytes` (64 KiB by default).",
        "content": {
          "application/problem+json": {
            "schema": {
              "$ref": "#/components/schemas/Problem"
            }
          }
        }
      },
      "UnsupportedMediaType": {
        "description": "The body is not sent as JSON.",
        "content": {
          "application/problem+json": {
            "schema": {
              "$ref": "#/components/schemas/Problem"
            }
          }
        }
      },
      "ValidationFailed": {
        "description": "Every invalid field is listed in `errors`, missing fields and wrong JSON types included.",
        "content": {
          "application/problem+json": {
            "schema": {
              "$ref": "#/components/schemas/Problem"
            }
          }
        }
      },
      "Internal": {
        "description": "An unexpected failure; the body says nothing about internals.",
        "content": {
          "application/problem+json": {
            "schema": {
              "$ref": "#/components/schemas/Problem"
            }
          }
        }
      },
      "Unavailable": {
        "description": "The database does not answer, or migrations are pending. From /health/ready the problem also carries `components`.",
        "content": {
          "application/problem+json": {
            "schema": {
              "allOf": [
                {
                  "$ref": "#/components/schemas/Problem"
                },
                {
                  "type": "object",
                  "properties": {
                    "components": {
                      "$ref": "#/components/schemas/HealthComponents"
                    }
                  }
                }
              ]
            }
          }
        }
      },
      "Unauthorized": {
        "description": "Problem `unauthorized`: a route that needs a token got none, or a token was sent that is malformed, expired, not yet valid, for another audience or issuer, or wrongly signed (public routes included).",
        "content": {
          "application/problem+json": {
            "schema": {
              "$ref": "#/components/schemas/Problem"
            }
          }
        },
        "headers": {
          "WWW-Authenticate": {
            "$ref": "#/components/headers/WWW-Authenticate"
          }
        }
      },
      "Forbidden": {
        "description": "Problem `forbidden`: the access token lacks the scope this route needs.",
        "content": {
          "application/problem+json": {
            "schema": {
              "$ref": "#/components/schemas/Problem"
            }
          }
        },
        "headers": {
          "WWW-Authenticate": {
            "$ref": "#/components/headers/WWW-Authenticate"
          }
        }
      },
      "TooManyRequests": {
        "description": "Problem `too-many-requests`: the client (the token's subject, else its address) spent its budget (`rateLimit.*`).",
        "content": {
          "application/problem+json": {
            "schema": {
              "$ref": "#/components/schemas/Problem"
            }
          }
        },
        "headers": {
          "Retry-After": {
            "$ref": "#/components/headers/Retry-After"
          }
        }
      }
    },
    "schemas": {
      "Customer": {
        "type": "object",
        "required": [
          "id",
          "name",
          "email",
          "phone",
          "document",
          "birthDate",
          "status",
          "addresses",
          "version",
          "createdAt",
          "updatedAt"
        ],
        "additionalProperties": false,
        "properties": {
          "id": {
            "type": "string",
            "format": "uuid",
            "description": "A time-ordered UUIDv7."
          },
          "name": {
            "type": "string",
            "minLength": 1,
            "maxLength": 200
          },
          "email": {
            "type": "string",
            "format": "email",
            "maxLength": 254
          },
          "phone": {
            "type": [
              "string",
              "null"
            ],
            "pattern": "^\\+[1-9][0-9]{7,14}$",
            "description": "E.164."
          },
          "document": {
            "oneOf": [
              {
                "$ref": "#/components/schemas/Document"
              },
              {
                "type": "null"
              }
            ]
          },
          "birthDate": {
            "type": [
              "string",
              "null"
            ],
            "format": "date"
          },
          "status": {
            "type": "string",
            "enum": [
              "active",
              "inactive",
              "erased"
            ]
          },
          "addresses": {
            "type": "array",
            "maxItems": 10,
            "items": {
              "$ref": "#/components/schemas/Address"
            }
          },
          "version": {
            "type": "integer",
            "minimum": 1
          },
          "createdAt": {
            "type": "string",
            "format": "date-time"
          },
          "updatedAt": {
            "type": "string",
            "format": "date-time"
          }
        }
      },
      "Document": {
        "type": "object",
        "required": [
          "type",
          "number"
        ],
        "additionalProperties": false,
        "properties": {
          "type": {
            "type": "string",
            "enum": [
              "cpf",
              "cnpj",
              "other"
            ]
          },
          "number": {
            "type": "string",
            "minLength": 1,
            "maxLength": 40,
            "description": "CPF: 11 digits; CNPJ: 14 characters (digits, or the alphanumeric form); other: as given."
          }
        }
      },
      "Address": {
        "type": "object",
        "required": [
          "id",
          "label",
          "street",
          "number",
          "complement",
          "district",
          "city",
          "state",
          "postalCode",
          "country",
          "primary"
        ],
        "additionalProperties": false,
        "properties": {
          "id": {
            "type": "string",
            "format": "uuid"
          },
          "label": {
            "type": [
              "string",
              "null"
            ],
            "maxLength": 50
          },
          "street": {
            "type": "string",
            "minLength": 1,
            "maxLength": 200
          },
          "number": {
            "type": "string",
            "minLength": 1,
            "maxLength": 20
          },
          "complement": {
            "type": [
              "string",
              "null"
            ],
            "maxLength": 100
          },
          "district": {
            "type": [
              "string",
              "null"
            ],
            "maxLength": 100
          },
          "city": {
            "type": "string",
            "minLength": 1,
            "maxLength": 100
          },
          "state": {
            "type": [
              "string",
              "null"
            ],
            "maxLength": 100
          },
          "postalCode": {
            "type": "string",
            "minLength": 1,
            "maxLength": 20
          },
          "country": {
            "type": "string",
            "pattern": "^[A-Z]{2}$",
            "description": "ISO 3166-1 alpha-2."
          },
          "primary": {
            "type": "boolean"
          }
        }
      },
      "AddressInput": {
        "type": "object",
        "required": [
          "street",
          "number",
          "city",
          "postalCode",
          "country"
        ],
        "properties": {
          "label": {
            "type": [
              "string",
              "null"
            ],
            "maxLength": 50
          },
          "street": {
            "type": "string",
            "minLength": 1,
            "maxLength": 200
          },
          "number": {
            "type": "string",
            "minLength": 1,
            "maxLength": 20
          },
          "complement": {
            "type": [
              "string",
              "null"
            ],
            "maxLength": 100
          },
          "district": {
            "type": [
              "string",
              "null"
            ],
            "maxLength": 100
          },
          "city": {
            "type": "string",
            "minLength": 1,
            "maxLength": 100
          },
          "state": {
            "type": [
              "string",
              "null"
            ],
            "maxLength": 100
          },
          "postalCode": {
            "type": "string",
            "minLength": 1,
            "maxLength": 20,
            "pattern": "^[A-Za-z0-9 -]+$"
          },
          "country": {
            "type": "string",
            "pattern": "^[A-Za-z]{2}$",
            "description": "ISO 3166-1 alpha-2, any case; stored upper-case."
          },
          "primary": {
            "type": [
              "boolean",
              "null"
            ]
          }
        }
      },
      "RegisterCustomerRequest": {
        "type": "object",
        "required": [
          "name",
          "email"
        ],
        "properties": {
          "name": {
            "type": "string",
            "minLength": 1,
            "maxLength": 200,
            "description": "Trimmed; no control characters."
          },
          "email": {
            "type": "string",
            "maxLength": 254,
            "description": "Trimmed and lower-cased; one @ and a dot in the domain."
          },
          "phone": {
            "type": [
              "string",
              "null"
            ],
            "description": "E.164 with + and country code; spaces, dashes, dots and parentheses are ignored."
          },
          "document": {
            "oneOf": [
              {
                "type": "object",
                "required": [
                  "type",
                  "number"
                ],
                "properties": {
                  "type": {
                    "type": "string",
                    "enum": [
                      "cpf",
                      "cnpj",
                      "other"
                    ]
                  },
                  "number": {
                    "type": "string",
                    "description": "CPF and CNPJ may be formatted; their check digits are verified."
                  }
                }
              },
              {
                "type": "null"
              }
            ]
          },
          "birthDate": {
            "type": [
              "string",
              "null"
            ],
            "format": "date",
            "description": "Not after today (UTC), not before 1900-01-01."
          },
          "addresses": {
            "type": [
              "array",
              "null"
            ],
            "maxItems": 10,
            "items": {
              "$ref": "#/components/schemas/AddressInput"
            }
          }
        }
      },
      "CustomerPatch": {
        "type": "object",
        "properties": {
          "name": {
            "type": "string",
            "minLength": 1,
            "maxLength": 200
          },
          "phone": {
            "type": [
              "string",
              "null"
            ]
          },
          "birthDate": {
            "type": [
              "string",
              "null"
            ],
            "format": "date"
          }
        },
        "additionalProperties": false
      },
      "EmailChange": {
        "type": "object",
        "required": [
          "email"
        ],
        "properties": {
          "email": {
            "type": "string",
            "maxLength": 254
          }
        }
      },
      "DeactivateRequest": {
        "type": "object",
        "required": [
          "reason"
        ],
        "properties": {
          "reason": {
            "type": "string",
            "minLength": 1,
            "maxLength": 500
          }
        }
      },
      "CustomerSummary": {
        "type": "object",
        "required": [
          "id",
          "name",
          "email",
          "status",
          "city",
          "createdAt",
          "updatedAt"
        ],
        "additionalProperties": false,
        "properties": {
          "id": {
            "type": "string",
            "format": "uuid"
          },
          "name": {
            "type": [
              "string",
              "null"
            ],
            "description": "null only for erased customers."
          },
          "email": {
            "type": [
              "string",
              "null"
            ],
            "description": "null only for erased customers."
          },
          "status": {
            "type": "string",
            "enum": [
              "active",
              "inactive",
              "erased"
            ]
          },
          "city": {
            "type": [
              "string",
              "null"
            ],
            "description": "The primary address's city."
          },
          "createdAt": {
            "type": "string",
            "format": "date-time"
          },
          "updatedAt": {
            "type": "string",
            "format": "date-time"
          }
        }
      },
      "CustomerPage": {
        "type": "object",
        "required": [
          "items",
          "nextCursor"
        ],
        "additionalProperties": false,
        "properties": {
          "items": {
            "type": "array",
            "items": {
              "$ref": "#/components/schemas/CustomerSummary"
            }
          },
          "nextCursor": {
            "type": [
              "string",
              "null"
            ],
            "description": "null on the last page."
          }
        }
      },
      "HistoryItem": {
        "type": "object",
        "required": [
          "type",
          "version",
          "occurredAt",
          "data"
        ],
        "additionalProperties": false,
        "properties": {
          "type": {
            "type": "string",
            "enum": [
              "customer.registered",
              "customer.profile_updated",
              "customer.email_changed",
              "customer.address_added",
              "customer.address_updated",
              "customer.address_removed",
              "customer.primary_address_changed",
              "customer.deactivated",
              "customer.reactivated",
              "customer.erased"
            ]
          },
          "version": {
            "type": "integer",
            "minimum": 1
          },
          "occurredAt": {
            "type": "string",
            "format": "date-time"
          },
          "actor": {
            "type": "string",
            "description": "Who made the change: the access token's subject. Absent for changes made without authentication or by the import."
          },
          "data": {
            "type": "object",
            "description": "The event payload; without personal data after erasure."
          }
        }
      },
      "History": {
        "type": "object",
        "required": [
          "items"
        ],
        "additionalProperties": false,
        "properties": {
          "items": {
            "type": "array",
            "items": {
              "$ref": "#/components/schemas/HistoryItem"
            }
          }
        }
      },
      "HealthStatus": {
        "type": "object",
        "required": [
          "status"
        ],
        "properties": {
          "status": {
            "type": "string",
            "enum": [
              "ok",
              "ready",
              "degraded"
            ]
          },
          "components": {
            "$ref": "#/components/schemas/HealthComponents"
          }
        }
      },
      "HealthComponents": {
        "type": "object",
        "description": "By name: database, replica (when configured), schema, broker, relay.",
        "additionalProperties": {
          "type": "object",
          "required": [
            "status",
            "required"
          ],
          "properties": {
            "status": {
              "type": "string",
              "enum": [
                "up",
                "degraded",
                "down"
              ]
            },
            "required": {
              "type": "boolean",
              "description": "Whether readiness fails (503) while this component is down."
            },
            "detail": {
              "type": "string"
            }
          },
          "additionalProperties": {
            "type": "number"
          }
        }
      },
      "ValidationFailure": {
        "type": "object",
        "required": [
          "field",
          "code",
          "message"
        ],
        "additionalProperties": false,
        "properties": {
          "field": {
            "type": "string",
            "description": "A path: `name`, `document.number`, `addresses[1].postalCode`."
          },
          "code": {
            "type": "string"
          },
          "message": {
            "type": "string"
          }
        }
      },
      "Problem": {
        "type": "object",
        "description": "RFC 9457 problem details.",
        "required": [
          "type",
          "title",
          "status",
          "detail",
          "instance"
        ],
        "properties": {
          "type": {
            "type": "string",
            "enum": [
              "urn:customerflow:problem:malformed-request",
              "urn:customerflow:problem:unauthorized",
              "urn:customerflow:problem:forbidden",
              "urn:customerflow:problem:too-many-requests",
              "urn:customerflow:problem:validation",
              "urn:customerflow:problem:not-found",
              "urn:customerflow:problem:feature-disabled",
              "urn:customerflow:problem:method-not-allowed",
              "urn:customerflow:problem:gone",
              "urn:customerflow:problem:conflict",
              "urn:customerflow:problem:precondition-failed",
              "urn:customerflow:problem:unsupported-media-type",
              "urn:customerflow:problem:payload-too-large",
              "urn:customerflow:problem:unavailable",
              "urn:customerflow:problem:internal"
            ]
          },
          "title": {
            "type": "string"
          },
          "status": {
            "type": "integer"
          },
          "detail": {
            "type": "string"
          },
          "instance": {
            "type": "string",
            "description": "The request path."
          },
          "code": {
            "type": "string",
            "description": "On conflicts: `email_taken`, `document_taken`, `invalid_state`, `concurrent_modification`; also `idempotency_key_reused`, `malformed_cursor`."
          },
          "errors": {
            "type": "array",
            "items": {
              "$ref": "#/components/schemas/ValidationFailure"
            }
          }
        }
      },
      "OutboxEntry": {
        "type": "object",
        "additionalProperties": false,
        "required": [
          "id",
          "position",
          "subject",
          "sequence",
          "type",
          "status",
          "attempts",
          "lastError",
          "createdAt",
          "publishedAt",
          "nextAttemptAt",
          "claimedUntil"
        ],
        "properties": {
          "id": {
            "type": "string",
            "description": "The CloudEvent id."
          },
          "position": {
            "type": "integer",
            "description": "Insertion order in the table."
          },
          "subject": {
            "type": "string",
            "description": "The customer id."
          },
          "sequence": {
            "type": "integer",
            "description": "The customer's version the event brought."
          },
          "type": {
            "type": "string"
          },
          "status": {
            "type": "string",
            "enum": [
              "pending",
              "published",
              "failed"
            ]
          },
          "attempts": {
            "type": "integer",
            "minimum": 0
          },
          "lastError": {
            "type": [
              "string",
              "null"
            ]
          },
          "createdAt": {
            "type": "string",
            "format": "date-time"
          },
          "publishedAt": {
            "type": [
              "string",
              "null"
            ],
            "format": "date-time"
          },
          "nextAttemptAt": {
            "type": [
              "string",
              "null"
            ],
            "format": "date-time"
          },
          "claimedUntil": {
            "type": [
              "string",
              "null"
            ],
            "format": "date-time",
            "description": "Set while a relay holds the event."
          }
        }
      },
      "OutboxPage": {
        "type": "object",
        "additionalProperties": false,
        "required": [
          "items",
          "nextCursor"
        ],
        "properties": {
          "items": {
            "type": "array",
            "items": {
              "$ref": "#/components/schemas/OutboxEntry"
            }
          },
          "nextCursor": {
            "type": [
              "string",
              "null"
            ]
          }
        }
      },
      "OutboxStats": {
        "type": "object",
        "additionalProperties": false,
        "required": [
          "pending",
          "inFlight",
          "failed",
          "published",
          "oldestPendingAgeSeconds",
          "publishedLastMinute",
          "publishedPerMinute"
        ],
        "properties": {
          "pending": {
            "type": "integer"
          },
          "inFlight": {
            "type": "integer",
            "description": "Pending events a relay holds now."
          },
          "failed": {
            "type": "integer"
          },
          "published": {
            "type": "integer"
          },
          "oldestPendingAgeSeconds": {
            "type": [
              "number",
              "null"
            ],
            "description": "null when nothing is pending."
          },
          "publishedLastMinute": {
            "type": "integer"
          },
          "publishedPerMinute": {
            "type": "array",
            "items": {
              "type": "integer",
              "minimum": 0
            },
            "maxItems": 10,
            "description": "Events published in each of the last 10 minutes, the latest minute first."
          }
        }
      },
      "InboxEntry": {
        "type": "object",
        "additionalProperties": false,
        "required": [
          "id",
          "group",
          "messageId",
          "type",
          "subject",
          "status",
          "attempts",
          "lastError",
          "receivedAt",
          "processedAt"
        ],
        "properties": {
          "id": {
            "type": "string"
          },
          "group": {
            "type": "string"
          },
          "messageId": {
            "type": "string",
            "description": "The CloudEvent id, or a digest of an unreadable message."
          },
          "type": {
            "type": "string"
          },
          "subject": {
            "type": [
              "string",
              "null"
            ]
          },
          "status": {
            "type": "string",
            "enum": [
              "processed",
              "failed",
              "retrying"
            ]
          },
          "attempts": {
            "type": "integer"
          },
          "lastError": {
            "type": [
              "string",
              "null"
            ]
          },
          "receivedAt": {
            "type": "string",
            "format": "date-time"
          },
          "processedAt": {
            "type": [
              "string",
              "null"
            ],
            "format": "date-time"
          }
        }
      },
      "InboxPage": {
        "type": "object",
        "additionalProperties": false,
        "required": [
          "items",
          "nextCursor"
        ],
        "properties": {
          "items": {
            "type": "array",
            "items": {
              "$ref": "#/components/schemas/InboxEntry"
            }
          },
          "nextCursor": {
            "type": [
              "string",
              "null"
            ]
          }
        }
      },
      "InboxStats": {
        "type": "object",
        "additionalProperties": false,
        "required": [
          "processed",
          "failed",
          "retrying",
          "processedLastMinute"
        ],
        "properties": {
          "processed": {
            "type": "integer"
          },
          "failed": {
            "type": "integer"
          },
          "retrying": {
            "type": "integer"
          },
          "processedLastMinute": {
            "type": "integer"
          }
        }
      },
      "Retried": {
        "type": "object",
        "additionalProperties": false,
        "required": [
          "retried"
        ],
        "properties": {
          "retried": {
            "type": "integer",
            "minimum": 0
          }
        }
      },
      "FeatureList": {
        "type": "object",
        "additionalProperties": false,
        "required": [
          "flags"
        ],
        "properties": {
          "flags": {
            "type": "array",
            "items": {
              "$ref": "#/components/schemas/Feature"
            }
          }
        }
      },
      "Feature": {
        "type": "object",
        "additionalProperties": false,
        "required": [
          "name",
          "enabled",
          "definition"
        ],
        "properties": {
          "name": {
            "type": "string"
          },
          "enabled": {
            "type": "boolean",
            "description": "Whether the flag is on for the caller now."
          },
          "definition": {
            "description": "As configured: true, false, or the requirement and filters.",
            "oneOf": [
              {
                "type": "boolean"
              },
              {
                "type": "object",
                "required": [
                  "requirement",
                  "filters"
                ],
                "properties": {
                  "requirement": {
                    "type": "string",
                    "enum": [
                      "any",
                      "all"
                    ]
                  },
                  "filters": {
                    "type": "object"
                  }
                }
              }
            ]
          }
        }
      },
      "WebhookSubscription": {
        "type": "object",
        "additionalProperties": false,
        "required": [
          "id",
          "url",
          "eventTypes",
          "enabled",
          "disabledReason",
          "createdAt"
        ],
        "properties": {
          "id": {
            "type": "string",
            "format": "uuid"
          },
          "url": {
            "type": "string",
            "format": "uri"
          },
          "eventTypes": {
            "type": "array",
            "items": {
              "type": "string"
            },
            "description": "Topic patterns over event types: * one word, # any number."
          },
          "enabled": {
            "type": "boolean"
          },
          "disabledReason": {
            "type": [
              "string",
              "null"
            ],
            "description": "Why it was disabled (the endpoint answered 410 Gone)."
          },
          "createdAt": {
            "type": "string",
            "format": "date-time"
          }
        }
      },
      "WebhookSubscriptionCreated": {
        "type": "object",
        "additionalProperties": false,
        "required": [
          "id",
          "url",
          "eventTypes",
          "enabled",
          "disabledReason",
          "createdAt",
          "secret"
        ],
        "properties": {
          "id": {
            "type": "string",
            "format": "uuid"
          },
          "url": {
            "type": "string",
            "format": "uri"
          },
          "eventTypes": {
            "type": "array",
            "items": {
              "type": "string"
            },
            "description": "Topic patterns over event types: * one word, # any number."
          },
          "enabled": {
            "type": "boolean"
          },
          "disabledReason": {
            "type": [
              "string",
              "null"
            ],
            "description": "Why it was disabled (the endpoint answered 410 Gone)."
          },
          "createdAt": {
            "type": "string",
            "format": "date-time"
          },
          "secret": {
            "type": "string",
            "description": "whsec_<base64>: the Standard Webhooks signing key. Shown only here."
          }
        }
      },
      "WebhookSubscriptionList": {
        "type": "object",
        "additionalProperties": false,
        "required": [
          "items"
        ],
        "properties": {
          "items": {
            "type": "array",
            "items": {
              "$ref": "#/components/schemas/WebhookSubscription"
            }
          }
        }
      },
      "NewWebhookSubscription": {
        "type": "object",
        "required": [
          "url",
          "eventTypes"
        ],
        "properties": {
          "url": {
            "type": "string",
            "format": "uri",
            "description": "http or https; loopback and private addresses only when webhooks.allowPrivateTargets."
          },
          "eventTypes": {
            "type": "array",
            "minItems": 1,
            "maxItems": 50,
            "items": {
              "type": "string"
            }
          }
        }
      },
      "WebhookDelivery": {
        "type": "object",
        "additionalProperties": false,
        "required": [
          "seq",
          "eventId",
          "type",
          "subject",
          "sequence",
          "status",
          "attempts",
          "lastStatus",
          "lastError",
          "nextAttemptAt",
          "deliveredAt"
        ],
        "properties": {
          "seq": {
            "type": "integer"
          },
          "eventId": {
            "type": "string"
          },
          "type": {
            "type": "string"
          },
          "subject": {
            "type": "string"
          },
          "sequence": {
            "type": "integer",
            "description": "The customer's version the event brought."
          },
          "status": {
            "type": "string",
            "enum": [
              "pending",
              "delivered",
              "failed"
            ]
          },
          "attempts": {
            "type": "integer"
          },
          "lastStatus": {
            "type": [
              "integer",
              "null"
            ],
            "description": "HTTP status of the last answer."
          },
          "lastError": {
            "type": [
              "string",
              "null"
            ],
            "description": "The last failure, or the start of the answer's body."
          },
          "nextAttemptAt": {
            "type": [
              "string",
              "null"
            ],
            "format": "date-time"
          },
          "deliveredAt": {
            "type": [
              "string",
              "null"
            ],
            "format": "date-time"
          }
        }
      },
      "WebhookDeliveryList": {
        "type": "object",
        "additionalProperties": false,
        "required": [
          "items"
        ],
        "properties": {
          "items": {
            "type": "array",
            "items": {
              "$ref": "#/components/schemas/WebhookDelivery"
            }
          }
        }
      },
      "ExportedMessage": {
        "type": "object",
        "additionalProperties": false,
        "required": [
          "id",
          "type",
          "status",
          "recordedAt"
        ],
        "properties": {
          "id": {
            "type": "string",
            "description": "The event id (outbox, webhook delivery) or message id (inbox)."
          },
          "type": {
            "type": "string",
            "examples": [
              "customer.registered.v1"
            ]
          },
          "status": {
            "type": "string",
            "description": "Outbox: pending, published or failed; inbox: processed, retrying or failed; webhook delivery: pending, delivered or failed."
          },
          "recordedAt": {
            "type": "string",
            "format": "date-time"
          },
          "recipient": {
            "type": "string",
            "description": "The inbox's consumer group or the webhook subscription's id."
          },
          "payload": {
            "description": "The stored CloudEvent document, as held (without personal data once the customer is erased); absent when none is kept."
          }
        }
      },
      "CustomerExport": {
        "type": "object",
        "additionalProperties": false,
        "required": [
          "customer",
          "history",
          "outbox",
          "inbox",
          "webhookDeliveries",
          "exportedAt"
        ],
        "properties": {
          "customer": {
            "$ref": "#/components/schemas/Customer"
          },
          "history": {
            "type": "array",
            "items": {
              "$ref": "#/components/schemas/HistoryItem"
            }
          },
          "outbox": {
            "type": "array",
            "description": "Integration events not yet purged by retention.",
            "items": {
              "$ref": "#/components/schemas/ExportedMessage"
            }
          },
          "inbox": {
            "type": "array",
            "description": "Messages about the customer that consumers of this service received.",
            "items": {
              "$ref": "#/components/schemas/ExportedMessage"
            }
          },
          "webhookDeliveries": {
            "type": "array",
            "items": {
              "$ref": "#/components/schemas/ExportedMessage"
            }
          },
          "exportedAt": {
            "type": "string",
            "format": "date-time"
          }
        }
      }
    },
    "securitySchemes": {
      "bearer": {
        "type": "http",
        "scheme": "bearer",
        "bearerFormat": "JWT",
        "description": "An access token: HS256 signed with `auth.jwt.hs256Secret`, or RS256/ES256 with a key of the configured JWKS. `exp` is required; `nbf`, `iss` (when `auth.jwt.issuer` is set) and `aud` (when `auth.jwt.audience` is set) are checked with `auth.jwt.clockSkewSeconds` of tolerance. Scopes come from `scope` (space-separated) or `scp` (string or array): `customers:read` (GETs), `customers:write` (every other change), `customers:erase` (erasure and export), `admin` (`/admin/*`, and `/metrics` when `auth.metricsPublic` is false). No scope implies another. With a JWKS, `auth.jwt.audience` is required. A token that is sent is checked on every route, public ones included (a broken one answers 401); paths no route serves need a valid token before they answer 404. When the JWKS cannot be read, RS256/ES256 tokens answer 503 `unavailable`. Without any auth configuration the service runs open, on loopback only (or with `--allow-anonymous`)."
      }
    }
  }
}
"""#
}
