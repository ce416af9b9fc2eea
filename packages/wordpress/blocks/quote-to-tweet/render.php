<?php
/**
 * The block chorus/quote-to-tweet. `via` "no" credits no handle; `url` "none" shares no link.
 *
 * @package Chorus
 * @var array $attributes The block's attributes.
 */

defined( 'ABSPATH' ) || exit;

$chorus_via      = chorus_block_string( $attributes, 'via' );
$chorus_networks = chorus_block_string( $attributes, 'networks' );
// Escaped inside, for each context.
echo chorus_render_quote( // phpcs:ignore WordPress.Security.EscapeOutput.OutputNotEscaped
	array(
		'quote'    => chorus_block_string( $attributes, 'quote' ),
		'text'     => chorus_block_string( $attributes, 'text' ),
		'url'      => chorus_block_string( $attributes, 'url' ),
		'via'      => '' === $chorus_via ? null : ( 'no' === strtolower( $chorus_via ) ? '' : $chorus_via ),
		'related'  => chorus_block_string( $attributes, 'related' ),
		'hashtags' => chorus_block_string( $attributes, 'hashtags' ),
		'networks' => '' === $chorus_networks ? null : $chorus_networks,
		'label'    => chorus_block_string( $attributes, 'label' ),
		'nofollow' => ! empty( $attributes['nofollow'] ),
		'id'       => chorus_block_string( $attributes, 'id' ),
		'class'    => chorus_block_string( $attributes, 'className' ),
	)
);
