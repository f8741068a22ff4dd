import { describe, expect, it } from 'vitest';
import { compareRegions } from './compare-regions.js';
import { hostOf } from './host-of.js';

describe('hostOf', () => {
  it('keeps host and port, never user info, path or query', () => {
    expect(hostOf('smtp://user:secret-pw@mail.example:587')).toBe('mail.example:587');
    expect(hostOf('https://hooks.slack.com/services/T0/B0/token')).toBe('hooks.slack.com');
    expect(hostOf('https://api.example/v1?key=abc')).toBe('api.example');
    expect(hostOf('https://[::1]:8443/x')).toBe('[::1]:8443');
    expect(hostOf('not a url')).toBeNull();
    expect(hostOf(undefined)).toBeNull();
  });
});

describe('compareRegions', () => {
  it('is unknown unless both regions are stated', () => {
    expect(compareRegions(null, 'eu-central-1')).toBe('unknown');
    expect(compareRegions('eu', null)).toBe('unknown');
  });
  it('matches equal regions and prefixes at a dash boundary', () => {
    expect(compareRegions('eu', 'eu-central-1')).toBe('same_region');
    expect(compareRegions('EU-Central-1', 'eu-central-1')).toBe('same_region');
    expect(compareRegions('eu-central-1', 'eu')).toBe('same_region');
  });
  it('says outside only for different known geographies, unknown for names it cannot compare', () => {
    expect(compareRegions('eu', 'us-east-1')).toBe('outside_region');
    expect(compareRegions('eu-central-1', 'ap-south-1')).toBe('outside_region');
    // Same geography, another region: not a transfer out of the geography, but not "same" either.
    expect(compareRegions('eu-central-1', 'eu-west-1')).toBe('unknown');
    expect(compareRegions('eu', 'europe-west1')).toBe('unknown');
    expect(compareRegions('eu', 'westeurope')).toBe('unknown');
  });
});
